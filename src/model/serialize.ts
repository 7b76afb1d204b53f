/**
 * The model as JSON: layers as `{ className, config }`, compile settings, and weights as plain
 * number arrays (a float64 JSON number round-trips exactly, so predictions match bit for bit).
 */
import { ConfigError, ValueError, describe } from '../errors.js';
import type { LossName, OptimizerConfig } from '../plan.js';
import type { BackendName } from './backends.js';
import { layerFromConfig, type LayerConfig } from './layers.js';
import { parameterLayout } from '../plan.js';
import { Sequential } from './sequential.js';

/** The identifier and version of the JSON form. */
export const MODEL_FORMAT = 'wasmlp-model';
export const MODEL_VERSION = 1;

/** What toJSON returns. */
export interface ModelJSON {
  format: typeof MODEL_FORMAT;
  version: number;
  seed: number;
  backend: BackendName;
  layers: LayerConfig[];
  compile: { loss: LossName; optimizer: OptimizerConfig; metrics: string[] } | null;
  weights: { shape: number[]; values: number[] }[];
}

/** Serialises `model`; `metrics` is null for a model that was never compiled. */
export function modelToJSON(model: Sequential, metrics: readonly string[] | null): ModelJSON {
  const plan = model.plan;
  const layout = parameterLayout(plan);
  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    seed: model.seed,
    backend: model.backend,
    layers: model.layers.map((l) => l.toConfig()),
    compile: metrics === null ? null : { loss: plan.loss, optimizer: { ...plan.optimizer }, metrics: metrics.slice() },
    weights: model.liveEngine.getParameters().map((p, i) => ({ shape: layout[i].shape.slice(), values: Array.from(p) })),
  };
}

/** Rebuilds a model from modelToJSON output or its string; throws ConfigError / ValueError and builds nothing on bad input. */
export function modelFromJSON(input: unknown, options: { backend?: BackendName }): Sequential {
  let json = input;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw new ValueError(`fromJSON: not valid JSON (${(e as Error).message})`);
    }
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ValueError(`fromJSON: expected a model object, got ${describe(json)}`);
  const j = json as Partial<ModelJSON>;
  if (j.format !== MODEL_FORMAT) throw new ConfigError(`fromJSON: format is ${describe(j.format)}, expected '${MODEL_FORMAT}'`);
  if (j.version !== MODEL_VERSION) throw new ConfigError(`fromJSON: version ${describe(j.version)} is not supported (this wasmlp reads version ${MODEL_VERSION})`);
  if (!Array.isArray(j.layers)) throw new ConfigError('fromJSON: layers must be an array');
  if (!Array.isArray(j.weights)) throw new ConfigError('fromJSON: weights must be an array');
  const layers = j.layers.map((l, i) => layerFromConfig(l, i));
  const model = new Sequential(layers, { seed: j.seed, backend: options.backend ?? j.backend });
  try {
    if (j.compile !== null && j.compile !== undefined) {
      model.compile({ loss: j.compile.loss, optimizer: j.compile.optimizer as never, metrics: j.compile.metrics });
    }
    model.setWeights(j.weights.map((w, i) => {
      if (typeof w !== 'object' || w === null || !Array.isArray(w.values)) throw new ConfigError(`fromJSON: weights[${i}] must be { shape, values }`);
      return w.values;
    }));
  } catch (e) {
    model.dispose();
    throw e;
  }
  return model;
}
