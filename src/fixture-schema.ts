/**
 * The fields of a training fixture (../shared/fixtures/README.md) that the fixture runner
 * understands, and the check that refuses any other: a field it silently ignored would make a
 * replay pass while testing less than the fixture says. One list per place a field can be.
 */
import { ConfigError, describe } from './errors.js';
import { ownEntry } from './own.js';

/** Top-level fields (data, expectations and description included). */
export const FIXTURE_FIELDS = [
  'name',
  'description',
  'kind',
  'dtype',
  'generator',
  'n_samples',
  'steps',
  'shuffle',
  'layers',
  'loss',
  'optimizer',
  'batch_size',
  'epochs',
  'schedule',
  'clip_grad_norm',
  'x',
  'y',
  'initial',
  'final',
  'after_step0',
  'grads_step0',
  'forward0',
  'forward_final',
  'forward0_softmax',
  'expected_from_seed_8dp',
  'loss0_full',
  'loss_final_full',
  'per_step',
];

/** Fields of each layer type. batchnorm is built by fixture-batchnorm.ts. */
export const LAYER_FIELDS: Record<string, string[]> = {
  dense: ['type', 'in', 'out'],
  activation: ['type', 'fn', 'alpha'],
  batchnorm: ['type', 'features', 'eps', 'momentum'],
};

/** Fields of each optimiser type (PyTorch's names). */
export const OPTIMIZER_FIELDS: Record<string, string[]> = {
  sgd: ['type', 'lr', 'momentum', 'dampening', 'nesterov', 'weight_decay', 'decay_biases'],
  adam: ['type', 'lr', 'beta1', 'beta2', 'eps', 'weight_decay', 'amsgrad', 'decay_biases'],
  adamw: ['type', 'lr', 'beta1', 'beta2', 'eps', 'weight_decay', 'amsgrad', 'decay_biases'],
  rmsprop: ['type', 'lr', 'alpha', 'eps', 'momentum', 'centered', 'weight_decay', 'decay_biases'],
};

/** Fields of each schedule type. */
export const SCHEDULE_FIELDS: Record<string, string[]> = {
  step: ['type', 'step_size', 'gamma'],
  exponential: ['type', 'gamma'],
  cosine: ['type', 't_max', 'eta_min'],
};

/** Fields of a per_step entry. */
export const STEP_FIELDS = ['step', 'epoch', 'batch', 'rows', 'loss', 'lr'];

function only(obj: unknown, valid: string[] | undefined, what: string, typeOf?: string): void {
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) throw new ConfigError(`${what} must be an object, got ${describe(obj)}`);
  if (valid === undefined) throw new ConfigError(`${what}: type ${describe(typeOf)} is not supported`);
  for (const k of Object.keys(obj)) {
    if (!valid.includes(k)) throw new ConfigError(`${what}: unknown field '${k}' (this runner understands: ${valid.join(', ')})`);
  }
}

/**
 * Throws ConfigError naming the first field of fixture `f` (called `name` in messages) that
 * the runner does not understand: top level, layers, optimizer, schedule or per_step. Reads only.
 */
export function checkFixtureFields(f: Record<string, unknown>, name: string): void {
  only(f, FIXTURE_FIELDS, `fixture ${name}`);
  if (f.shuffle !== undefined && f.shuffle !== false)
    throw new ConfigError(`fixture ${name}: shuffle ${describe(f.shuffle)} is not supported (only false: batches in file order)`);
  if (Array.isArray(f.layers)) {
    f.layers.forEach((l, i) =>
      only(l, ownEntry(LAYER_FIELDS, String((l as { type?: string })?.type)), `fixture ${name}: layers[${i}]`, (l as { type?: string })?.type),
    );
  }
  if (f.optimizer !== undefined) {
    const type = (f.optimizer as { type?: string })?.type;
    only(f.optimizer, ownEntry(OPTIMIZER_FIELDS, String(type)), `fixture ${name}: optimizer`, type);
  }
  if (f.schedule !== undefined) {
    const type = (f.schedule as { type?: string })?.type;
    only(f.schedule, ownEntry(SCHEDULE_FIELDS, String(type)), `fixture ${name}: schedule`, type);
  }
  if (Array.isArray(f.per_step)) f.per_step.forEach((s, i) => only(s, STEP_FIELDS, `fixture ${name}: per_step[${i}]`));
}
