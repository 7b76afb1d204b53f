/**
 * mae and huber through the public API on both backends: names and aliases, huber's delta,
 * values at hand-computed points, the zero subgradient of mae at y = t, and a saved delta.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, LOSSES, Sequential, ValueError, resolveLoss, type LossSpec } from '../src/index.js';

/** A 1→1 identity model y = x, so the loss sees the inputs as outputs. */
function identity(backend: 'wasm' | 'reference', loss: unknown): Sequential {
  const m = new Sequential([new Dense(1, 1, { init: 'ones', biasInit: 'zeros' })], { seed: 1, backend });
  return m.compile({ loss: loss as LossSpec });
}

describe('loss names', () => {
  it('mae and huber are listed, with their aliases', () => {
    expect(LOSSES).toContain('mae');
    expect(LOSSES).toContain('huber');
    expect(resolveLoss('l1')).toBe('mae');
    expect(resolveLoss('mean_absolute_error')).toBe('mae');
    expect(resolveLoss('huber_loss')).toBe('huber');
  });
});

describe.each(['reference', 'wasm'] as const)('mae and huber on %s', (backend) => {
  const x = [[0.5], [-2], [3], [1]];
  const t = [[0], [0], [0.5], [1]];
  it('mae: mean |y - t|; gradient sign(y - t)/(B K), 0 where y = t', () => {
    const m = identity(backend, 'mae');
    expect(m.evaluate(x, t).loss).toBeCloseTo((0.5 + 2 + 2.5 + 0) / 4, 12);
    const { gradients } = m.gradients(x, t);
    // dL/dW = mean of sign(y-t)·x = (0.5 + 2 + 3 + 0)/4; dL/db = (1 - 1 + 1 + 0)/4.
    expect((gradients[0] as number[][])[0][0]).toBeCloseTo(5.5 / 4, 6);
    expect((gradients[1] as number[])[0]).toBeCloseTo(0.25, 6);
    const flat = identity(backend, 'l1');
    expect(flat.gradients([[1]], [[1]]).gradients.flat(2)).toEqual([0, 0]);
    m.dispose();
    flat.dispose();
  });

  it('huber: quadratic within delta, linear beyond; delta given as { name, delta }', () => {
    const h = (d: number, delta: number) => (Math.abs(d) <= delta ? 0.5 * d * d : delta * (Math.abs(d) - 0.5 * delta));
    const ds = [0.5, -2, 2.5, 0];
    for (const delta of [1, 2]) {
      const m = identity(backend, delta === 1 ? 'huber' : { name: 'huber', delta });
      expect(m.evaluate(x, t).loss).toBeCloseTo(ds.reduce((s, d) => s + h(d, delta), 0) / 4, 7);
      const db = ds.reduce((s, d) => s + Math.max(-delta, Math.min(delta, d)), 0) / 4;
      expect((m.gradients(x, t).gradients[1] as number[])[0]).toBeCloseTo(db, 6);
      m.dispose();
    }
  });

  it('a delta survives save and load; the default is not written', () => {
    const m = identity(backend, { name: 'huber', delta: 0.25 });
    expect(m.toJSON().compile?.loss).toEqual({ name: 'huber', delta: 0.25 });
    const back = Sequential.fromBytes(m.save());
    expect(back.plan.huberDelta).toBe(0.25);
    expect(back.evaluate(x, t).loss).toBe(m.evaluate(x, t).loss);
    const plain = identity(backend, { name: 'huber', delta: 1 });
    expect(plain.toJSON().compile?.loss).toBe('huber');
    for (const s of [m, back, plain]) s.dispose();
  });
});

describe('loss options are checked', () => {
  it('refuses a delta on another loss, a bad delta and unknown loss options', () => {
    const m = new Sequential([new Dense(1, 1)], { seed: 1, backend: 'reference' });
    expect(() => m.compile({ loss: { name: 'mse', delta: 2 } })).toThrow(/takes no delta/);
    expect(() => m.compile({ loss: { name: 'huber', delta: 0 } })).toThrow(ValueError);
    expect(() => m.compile({ loss: { name: 'huber', beta: 1 } as never })).toThrow(/unknown option 'beta'/);
    // @ts-expect-error a misspelt loss name, refused at run time
    expect(() => m.compile({ loss: { name: 'hubber' } })).toThrow(ConfigError);
    expect(m.compiled).toBe(false);
    m.dispose();
  });
});
