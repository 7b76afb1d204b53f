/**
 * The direction of imports inside src/, checked by test/architecture.test.ts: formats (io/) know
 * nothing of the model class, the model layer (model/) reaches the backends only through the
 * engine contract and the backend switch (src/backends.ts), nothing imports in a circle, and the
 * optional parts (saving, interchange formats, trace, the reference engine, ONNX, the thread team and pool)
 * are reached from the main entry by dynamic import only.
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
    {
      name: 'lazy-parts-dynamic-only',
      severity: 'error',
      comment:
        'the optional parts (src/extras.ts via model/parts.ts, the optional parts of fit via model/fit.ts, ONNX via io/onnx/loader.ts, the thread team, its support check and pool, the core export table via wasm/abi.ts) load by dynamic import only, so a page that never uses them does not ship them; only extras.ts, the wasmlp/onnx entry and the parts themselves import them statically',
      from: { pathNot: '^src/((onnx|extras)\\.ts|model/(persist|interop|trace|layer-outputs|summary|metrics/epoch-values)\\.ts|io/onnx/.+|wasm/threads/.+)$' },
      to: {
        path: '^src/(extras|model/(persist|interop|trace|layer-outputs|summary|metrics/epoch-values)|model/fit-extras|reference/engine|wasm/forward-stages|wasm/abi-exports|io/onnx/codec|wasm/threads/(pool|team|threads-gate))\\.ts$',
        dynamic: false,
        dependencyTypesNot: ['type-only', 'type-import'],
      },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
