// YieldClock reads Date.now() about once a millisecond of calls: fewer reads while calls come
// fast, every call again once they come slowly, so fit still yields within a few ms of its target.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { YieldClock } from '../src/model/yield.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('YieldClock', () => {
  it('skips clock reads while calls come less than 1 ms apart, and reads every call when they are slow', () => {
    let now = 1000;
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => now);
    const clock = new YieldClock(64);
    spy.mockClear();
    for (let i = 0; i < 2000; i++) clock.sinceYield(); // no time passes: reads thin out
    const fastReads = spy.mock.calls.length;
    expect(fastReads).toBeLessThan(2000 / 64 + 8);
    expect(fastReads).toBeGreaterThanOrEqual(2000 / 64);
    expect(fastReads).toBeGreaterThan(0);
    spy.mockClear();
    for (let i = 0; i < 200; i++) {
      now += 5;
      clock.sinceYield();
    } // 5 ms a call: back to reading every call
    expect(spy.mock.calls.length).toBeGreaterThan(200 - 64 - 8);
    expect(clock.sinceYield()).toBe(now - 1000);
  });

  it('reads the clock on every call with a skip of 1', () => {
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => 5);
    const clock = new YieldClock(1);
    spy.mockClear();
    for (let i = 0; i < 100; i++) clock.sinceYield();
    expect(spy.mock.calls.length).toBe(100);
  });

  it('counts from the last yield', () => {
    let now = 0;
    vi.spyOn(Date, 'now').mockImplementation(() => now);
    const clock = new YieldClock();
    now = 30;
    expect(clock.sinceYield()).toBe(30);
    clock.yielded();
    now = 31;
    expect(clock.sinceYield()).toBe(1);
  });
});
