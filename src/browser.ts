/**
 * wasmlp for browsers (the package's "browser" export condition, which Vite, webpack and esbuild
 * pick for a page): the same API as index.ts, with nothing run on import, so a page calls
 * `await ready()` before its first model. It has no top-level await: Rolldown (Vite 8) turns off
 * its chunk merging for a module graph holding one, which cost a page ~0.9 kB of gzipped
 * JavaScript in chunk overhead.
 */
export * from './api.js';
