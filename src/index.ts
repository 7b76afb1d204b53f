/**
 * wasmlp: multilayer perceptrons trained by a WebAssembly SIMD core, with a float64 reference
 * backend that does the same maths in plain TypeScript.
 *
 * In Node the core is loaded when this module is imported. In a browser, `await ready()` once
 * before creating a model with the default 'wasm' backend (bundlers pick browser.ts, the same
 * API without the load on import).
 */
import { ready } from './wasm/core.js';
import { preload } from './model/parts.js';

export * from './api.js';

// Node can read the .wasm beside the package at import time; browsers call ready() themselves.
// Node also loads every optional part now (formats, interop, trace, the reference engine, ONNX),
// so the synchronous toJSON / save / trace / toONNX ... work there as they always have; a browser
// bundle keeps each in a chunk loaded on first use (model/parts.ts).
if (typeof process !== 'undefined' && typeof process.versions?.node === 'string') await Promise.all([ready(), preload()]);
