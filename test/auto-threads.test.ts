/**
 * threads: 'auto' by measurement (src/wasm/threads/auto-threads.ts): with a fake clock, the
 * choice goes to whichever of the team and one thread ran its probe steps faster (by median),
 * is measured again after REPROBE_STEPS, and leaves explicit counts and one-thread steps alone;
 * on the wasm engine an 'auto' fit that switches between them gives the bits of one thread.
 */
import { describe, expect, it } from 'vitest';
import { AutoThreads, PROBE_STEPS, REPROBE_STEPS } from '../src/wasm/threads/auto-threads.js';
import { Dense, ReLU, Sequential, threadSupport } from '../src/index.js';

/** Runs `steps` steps through `auto` with a clock where a team step takes `teamMs`, a one-thread step `oneMs`; returns the counts used. */
function run(auto: AutoThreads, clock: { t: number }, steps: number, teamMs: number, oneMs: number): number[] {
  const used: number[] = [];
  for (let i = 0; i < steps; i++) {
    const n = auto.pick('auto', 2);
    clock.t += n > 1 ? teamMs : oneMs;
    auto.done();
    used.push(n);
  }
  return used;
}

describe('AutoThreads', () => {
  it('probes the team, then one thread, and keeps the faster', () => {
    const clock = { t: 0 };
    const slowTeam = new AutoThreads(() => clock.t);
    const used = run(slowTeam, clock, 2 * PROBE_STEPS + 20, 3, 2);
    expect(used.slice(0, PROBE_STEPS)).toEqual(Array(PROBE_STEPS).fill(2));
    expect(used.slice(PROBE_STEPS, 2 * PROBE_STEPS)).toEqual(Array(PROBE_STEPS).fill(1));
    expect(used.slice(2 * PROBE_STEPS)).toEqual(Array(20).fill(1));
    expect(slowTeam.choosesTeam).toBe(false);

    const fastTeam = new AutoThreads(() => clock.t);
    expect(run(fastTeam, clock, 2 * PROBE_STEPS + 20, 1, 2).slice(2 * PROBE_STEPS)).toEqual(Array(20).fill(2));
    expect(fastTeam.choosesTeam).toBe(true);
  });

  it('judges by the median, so one slow step does not decide', () => {
    const clock = { t: 0 };
    const auto = new AutoThreads(() => clock.t);
    for (let i = 0; i < 2 * PROBE_STEPS; i++) {
      const n = auto.pick('auto', 2);
      clock.t += n > 1 ? (i === 0 ? 100 : 1) : 2;
      auto.done();
    }
    expect(auto.choosesTeam).toBe(true);
  });

  it('measures again after REPROBE_STEPS and follows a change of load', () => {
    const clock = { t: 0 };
    const auto = new AutoThreads(() => clock.t);
    run(auto, clock, 2 * PROBE_STEPS + REPROBE_STEPS, 1, 2);
    expect(auto.choosesTeam).toBe(true);
    // The machine got busy: the team is now the slower.
    const used = run(auto, clock, 2 * PROBE_STEPS + 5, 5, 2);
    expect(used.slice(0, PROBE_STEPS)).toEqual(Array(PROBE_STEPS).fill(2));
    expect(used.slice(-5)).toEqual(Array(5).fill(1));
    expect(auto.choosesTeam).toBe(false);
  });

  it('records no time for a step that failed before done() (a broken team)', () => {
    const clock = { t: 0 };
    const auto = new AutoThreads(() => clock.t);
    auto.pick('auto', 2); // the team step throws: no done()
    clock.t += 1000;
    auto.pick('auto', 1); // the model goes on on one thread
    auto.done();
    // The comparison still needs all PROBE_STEPS team steps of its own, and the 1000 ms step is not one of them.
    const used = run(auto, clock, 2 * PROBE_STEPS + 1, 1, 2);
    expect(used.slice(0, PROBE_STEPS)).toEqual(Array(PROBE_STEPS).fill(2));
    expect(auto.choosesTeam).toBe(true);
  });

  it('leaves explicit thread counts and steps the size rule keeps on one thread as they are', () => {
    let reads = 0;
    const auto = new AutoThreads(() => ++reads);
    for (let i = 0; i < 100; i++) {
      expect(auto.pick(2, 2)).toBe(2);
      auto.done();
      expect(auto.pick('auto', 1)).toBe(1);
      auto.done();
      expect(auto.pick(1, 1)).toBe(1);
      auto.done();
    }
    expect(reads).toBe(0);
  });
});

describe.skipIf(!threadSupport().available)("an 'auto' fit on the wasm engine", () => {
  it('gives the bits of one thread across its probes and choices', async () => {
    const layers = () => [new Dense(64, 256), new ReLU(), new Dense(256, 4)];
    const rows = 512;
    const x = { data: Float32Array.from({ length: rows * 64 }, (_, i) => Math.sin(i * 0.37)), shape: [rows, 64] };
    const y = Array.from({ length: rows }, (_, i) => i % 4);
    const train = async (threads: 1 | 'auto') => {
      const m = new Sequential(layers(), { seed: 11, threads });
      m.compile({ loss: 'softmax_ce', optimizer: 'adam' });
      // 64-row batches: 3.4 MFLOP a step, over AUTO_MIN_FLOPS, so 'auto' starts a team; 3 probes' worth of steps.
      const h = await m.fit(x, y, { epochs: 5, batchSize: 64 });
      const w = m.getWeights();
      m.dispose();
      return { loss: h.loss, w };
    };
    const one = await train(1);
    expect(await train('auto')).toEqual(one);
  });
});
