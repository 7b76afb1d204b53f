/**
 * The fixture runner's BatchNorm part (see src/check-fixture.ts and ../shared/fixtures/README.md):
 * a `{"type":"batchnorm","features","eps","momentum"}` layer as a BatchNorm, and the j-th
 * batchnorm's tensors `bnj_gamma`, `bnj_beta`, `bnj_running_mean`, `bnj_running_var` in the
 * order of getWeights.
 */
import { ConfigError, describe } from './errors.js';
import { BatchNorm } from './model/batchnorm.js';
import { BATCHNORM_TENSORS } from './plan.js';

/** A fixture's batchnorm layer entry. */
export interface FixtureBatchNorm {
  type: 'batchnorm';
  features?: number;
  eps?: number;
  momentum?: number;
}

/** The BatchNorm of fixture layer i; throws ConfigError when its features are missing. */
export function fixtureBatchNorm(l: FixtureBatchNorm, i: number): BatchNorm {
  if (typeof l.features !== 'number') throw new ConfigError(`fixture layers[${i}]: batchnorm needs features, got ${describe(l.features)}`);
  return new BatchNorm(l.features, { eps: l.eps ?? 1e-5, momentum: l.momentum ?? 0.1 });
}

/**
 * The j-th batchnorm's four tensors from a fixture weights dict, flat. A tensor the dict lacks
 * (grads_step0 has no running estimates: they have no gradient) is zeros.
 */
export function fixtureBatchNormTensors(w: Record<string, unknown>, j: number, features: number): number[][] {
  return BATCHNORM_TENSORS.map(([part]) => {
    const v = w[`bn${j}_${part}`];
    return Array.isArray(v) ? (v.flat(Infinity) as number[]) : new Array<number>(features).fill(0);
  });
}
