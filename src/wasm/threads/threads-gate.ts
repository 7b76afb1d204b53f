/**
 * The first step of a thread team (engine.ts's prepare): whether threads can run here, checked
 * before any threads code loads, so a page without cross-origin isolation never fetches the
 * thread team, the threads build or the pool. A module of its own, loaded by dynamic import:
 * the page's entry imports threads-support.ts (the public threadSupport), and a chunk holding
 * both it and the team's code would stop Rolldown (Vite) from merging what the team shares
 * with the page into the page's chunk (a static import cycle between the two), which costs the
 * page ~0.3 kB of gzipped chunk overhead.
 */
import { noticeSingleThread, threadSupport } from './threads-support.js';

/** True where threads can run (threadSupport); where not, says why once (console.info) and returns false. */
export function threadsHere(): boolean {
  const support = threadSupport();
  if (!support.available) noticeSingleThread(support.reason ?? 'threads are unavailable');
  return support.available;
}
