// The bundler checks' app: what a user writes after `npm install wasmlp`, nothing more. It
// publishes the outcome on window.__wasmlp for the test to read.
import * as wasmlp from 'wasmlp';
import { run } from './run.js';

run(wasmlp)
  .then(
    (result) => {
      window.__wasmlp = { ok: true, ...result };
    },
    (err) => {
      window.__wasmlp = { ok: false, error: String(err?.stack || err) };
    },
  )
  .finally(() => {
    document.body.dataset.status = 'done';
  });
