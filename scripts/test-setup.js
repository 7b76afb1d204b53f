#!/usr/bin/env node
// npm test's pretest: makes sure the Debian packages the tests need (scripts/system-packages.json)
// are installed. Installs the missing ones with apt-get when run as root, once, saying so;
// otherwise stops at once with the exact command to run. WASMLP_SKIP_TEST_SETUP=1 skips the check
// (the tests that need a missing package then fail, naming it).
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

const LIST = new URL('./system-packages.json', import.meta.url);
const { packages } = JSON.parse(readFileSync(LIST, 'utf8'));

/** Whether dpkg reports `name` as installed. */
function installed(name) {
  // biome-ignore lint/suspicious/noTemplateCurlyInString: ${Status} is dpkg-query's field syntax, not JavaScript
  const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.includes('install ok installed');
}

function main() {
  if (process.env.WASMLP_SKIP_TEST_SETUP === '1') return 0;
  if (spawnSync('dpkg-query', ['--version']).error) {
    console.error(`test setup: this is not a Debian-based system (no dpkg-query). The tests need: ${packages.map((p) => `${p.name} (${p.for})`).join('; ')}.`);
    console.error('Install their equivalents, then run the tests with WASMLP_SKIP_TEST_SETUP=1 npm test.');
    return 1;
  }
  const missing = packages.filter((p) => !installed(p.name));
  if (missing.length === 0) return 0;
  const names = missing.map((p) => p.name);
  const command = `apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${names.join(' ')}`;
  for (const p of missing) console.error(`test setup: ${p.name} is missing: needed by ${p.for}`);
  if (process.getuid?.() !== 0) {
    console.error(`test setup: run this as root, then npm test again:\n  sudo sh -c '${command}'`);
    return 1;
  }
  console.error(`test setup: installing ${names.join(' ')} with apt-get (once; later runs find them installed)`);
  try {
    execFileSync('sh', ['-c', command], { stdio: ['ignore', 'inherit', 'inherit'] });
  } catch {
    console.error(`test setup: apt-get failed; the command was:\n  ${command}`);
    return 1;
  }
  const still = names.filter((n) => !installed(n));
  if (still.length > 0) {
    console.error(`test setup: still missing after apt-get: ${still.join(' ')}`);
    return 1;
  }
  return 0;
}

process.exitCode = main();
