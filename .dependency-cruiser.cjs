/**
 * The direction of imports inside src/, checked by test/architecture.test.ts: formats (io/) know
 * nothing of the model class, the model layer (model/) reaches the backends only through the
 * engine contract and the backend switch (src/backends.ts), and nothing imports in a circle.
 * Type-only imports count (tsPreCompilationDeps), since a type cycle is still a design cycle.
 */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'an import cycle ties modules together so neither can change or load alone',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'io-not-model',
      severity: 'error',
      comment: 'file formats convert bytes <-> plain records; turning a record into a Sequential is src/model/persist.ts',
      from: { path: '^src/io/' },
      to: { path: '^src/model/' },
    },
    {
      name: 'model-not-backends',
      severity: 'error',
      comment: 'the model layer talks to engines through src/engine.ts and picks one through src/backends.ts',
      from: { path: '^src/model/' },
      to: { path: '^src/(wasm|reference)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
