/**
 * The optional code of the main entry in one module, loaded by model/parts.ts with one dynamic
 * import: saving and loading (model/persist.ts), the interchange formats (model/interop.ts),
 * inspection (model/trace.ts, model/layer-outputs.ts with wasm/forward-stages.ts, model/summary.ts),
 * fit's metric functions beyond accuracy (model/metrics/epoch-values.ts), streamed training
 * (model/stream-setup.ts and the wasm engine's staging calls) and the float64 reference engine. Nothing else imports it.
 *
 * One module, so bundlers emit one chunk: a page whose scripts use top-level await (`await
 * ready()` in a module script) gets no chunk merging from Rolldown (Vite 8), and each further
 * dynamic entry sharing modules with the page splits what the page loads into more chunks, which
 * gzip worse (the moons page: 32.4 kB in 9 chunks with one entry per part, 30.7 kB in 6 with one).
 */
export * as persist from './model/persist.js';
export * as interop from './model/interop.js';
export * as trace from './model/trace.js';
export * as outputs from './model/layer-outputs.js';
export * as summary from './model/summary.js';
export * as metrics from './model/metrics/epoch-values.js';
export { ReferenceEngine } from './reference/engine.js';
export { forwardStages } from './wasm/forward-stages.js';
export * as wasmStaging from './wasm/staging.js';
export * as stream from './model/stream-setup.js';
