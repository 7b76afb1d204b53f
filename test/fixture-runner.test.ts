/**
 * The fixture runner refuses what it does not understand: an unknown field at the top level,
 * in a layer, the optimiser, the schedule or a per_step entry fails with a ConfigError naming
 * it, instead of a replay that silently tests less. And a broken expectation does fail.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkFixture, ConfigError } from '../src/index.js';

const load = (name: string) => JSON.parse(readFileSync(new URL(`../../shared/fixtures/${name}`, import.meta.url), 'utf8'));

describe('fixture runner', () => {
  const base = load('schedule_step_sgd_mse.json');
  const cases: [string, (f: Record<string, any>) => void, RegExp][] = [
    [
      'top level',
      (f) => {
        f.label_smoothing = 0.1;
      },
      /unknown field 'label_smoothing'/,
    ],
    [
      'a layer',
      (f) => {
        f.layers[0].bias = false;
      },
      /layers\[0\]: unknown field 'bias'/,
    ],
    [
      'a layer type',
      (f) => {
        f.layers[1] = { type: 'dropout', p: 0.5 };
      },
      /layers\[1\]: type 'dropout' is not supported|layers\[1\]: type "dropout" is not supported/,
    ],
    [
      'the optimizer',
      (f) => {
        f.optimizer.maximize = true;
      },
      /optimizer: unknown field 'maximize'/,
    ],
    [
      'the optimizer type',
      (f) => {
        f.optimizer = { type: 'lbfgs', lr: 1 };
      },
      /optimizer: type .*lbfgs.* is not supported/,
    ],
    [
      'the schedule',
      (f) => {
        f.schedule.last_epoch = 3;
      },
      /schedule: unknown field 'last_epoch'/,
    ],
    [
      'the schedule type',
      (f) => {
        f.schedule = { type: 'plateau' };
      },
      /schedule: type .*plateau.* is not supported/,
    ],
    [
      'a per_step entry',
      (f) => {
        f.per_step[2].momentum = 0.9;
      },
      /per_step\[2\]: unknown field 'momentum'/,
    ],
    [
      'shuffle',
      (f) => {
        f.shuffle = true;
      },
      /shuffle/,
    ],
  ];
  it.each(cases)('refuses an unknown field in %s', async (_where, mutate, message) => {
    const f = structuredClone(base);
    mutate(f);
    for (const backend of ['reference', 'wasm'] as const) {
      await expect(checkFixture(f, backend)).rejects.toThrow(ConfigError);
      await expect(checkFixture(f, backend)).rejects.toThrow(message);
    }
  });

  it("compares each step's lr: a wrong one fails the replay", async () => {
    const f = structuredClone(base);
    expect((await checkFixture(f, 'reference')).pass).toBe(true);
    f.per_step[f.per_step.length - 1].lr *= 2;
    const report = await checkFixture(f, 'reference');
    expect(report.pass).toBe(false);
    expect(report.fields.find((x) => x.field === 'per_step_lr')!.worst).toBeGreaterThan(1e-3);
  });

  it('a clip_grad_norm fixture without its clipping does not pass (the field is used)', async () => {
    const f = load('clip_grad_norm_sgd_bce.json');
    delete f.clip_grad_norm;
    expect((await checkFixture(f, 'reference')).pass).toBe(false);
  });
});
