/**
 * threads: 'auto' by measurement. thread-count.ts decides from a step's size whether a team
 * could pay (AUTO_MIN_FLOPS), but whether it does depends on the machine at the time: with the
 * other cores busy a team of two waits at every barrier for a core and runs slower than one
 * thread (measured: 0.71-0.88× on mnist-mlp on 2 shared cores). So for 'auto' training steps
 * the engine times PROBE_STEPS steps on the team and as many on one thread, takes the faster
 * (by median), and measures again every REPROBE_STEPS steps, as the load changes. Results do not
 * depend on it: a step gives the same bits on any number of threads.
 */
import type { ThreadsOption } from '../../engine-options.js';

/** Steps timed on each side of a comparison. */
export const PROBE_STEPS = 8;
/** Steps run on the chosen count before the next comparison. */
export const REPROBE_STEPS = 512;

type Phase = 'team' | 'one' | 'chosen';

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** The thread count of each 'auto' training step, chosen by timing both (see the module comment). Mutates only itself. */
export class AutoThreads {
  private phase: Phase = 'team';
  private times: number[] = [];
  private teamMs = 0;
  private useTeam = true;
  private sinceProbe = 0;
  private started = -1;

  /** `now` (ms) is injectable for tests. */
  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * The threads for the next step: `n` (the size rule's count) unless `option` is 'auto' and
   * n > 1, when the measurement decides between n and 1 and the step's time is taken until done().
   */
  pick(option: ThreadsOption, n: number): number {
    if (option !== 'auto' || n <= 1) {
      this.started = -1; // a step that failed before done() leaves no time behind
      return n;
    }
    this.started = this.phase === 'chosen' ? -1 : this.now();
    if (this.phase === 'team') return n;
    if (this.phase === 'one') return 1;
    return this.useTeam ? n : 1;
  }

  /** Ends the step pick() began: records its time while comparing, counts it otherwise. */
  done(): void {
    if (this.phase === 'chosen') {
      if (++this.sinceProbe >= REPROBE_STEPS) this.phase = 'team';
      return;
    }
    if (this.started < 0) return;
    this.times.push(this.now() - this.started);
    this.started = -1;
    if (this.times.length < PROBE_STEPS) return;
    const ms = median(this.times);
    this.times = [];
    if (this.phase === 'team') {
      this.teamMs = ms;
      this.phase = 'one';
    } else {
      this.useTeam = this.teamMs < ms;
      this.phase = 'chosen';
      this.sinceProbe = 0;
    }
  }

  /** Whether the last comparison chose the team (true before the first one ends). */
  get choosesTeam(): boolean {
    return this.useTeam;
  }
}
