/**
 * Building a WasmEngine's network in a core (engine.ts): the descriptor, its stages and
 * optimiser from the plan, then every buffer, checked to fit first so a refusal leaks nothing.
 */
import { ConfigError } from '../errors.js';
import { DEFAULT_HUBER_DELTA, type Plan, type Stage } from '../plan.js';
import type { Core } from './core.js';
import { batchBufferBytes, checkFits, LOWER_MODEL, outOfMemory, parameterBufferBytes } from './memory.js';

/**
 * Builds `plan`'s network (its `stages`, `size` parameter values, all zero) in core c with room
 * for `capacity` rows per batch and learning rate `lr` (undefined: the plan's); returns its
 * pointer. Throws OutOfMemoryError when c cannot hold it, having left nothing allocated.
 */
export function createNet(c: Core, plan: Plan, stages: readonly Stage[], size: number, capacity: number, lr: number | undefined): number {
  const e = c.exports;
  const sizes = [...parameterBufferBytes(plan, stages, size), ...batchBufferBytes(plan, stages, capacity)];
  const what = `a network of ${size} parameters with batch buffers for ${capacity} rows`;
  checkFits(c, sizes, what, LOWER_MODEL);
  const refused = () =>
    outOfMemory(
      c,
      sizes.reduce((a, b) => a + b, 0),
      what,
      LOWER_MODEL,
    );
  const abi = c.abi;
  const code = <T extends string>(codes: Readonly<Record<T, number>>, name: T, what: string): number => {
    if (!Object.hasOwn(codes, name)) throw new ConfigError(`wasm engine: unknown ${what} '${name}'`);
    return codes[name];
  };
  const o = plan.optimizer;
  // Every code is looked up before netCreate allocates, so a bad plan leaks nothing.
  const loss = code(abi.loss, plan.loss, 'loss');
  const acts = stages.map((s) => code(abi.activation, s.activation, 'activation'));
  const kind = code(abi.optimizer, o.type, 'optimizer');
  const net = e.netCreate(stages.length, plan.inputSize, plan.outputSize, loss) >>> 0;
  if (net === 0) throw refused();
  stages.forEach((s, i) => {
    if (s.kind === 'dense') e.netSetStage(net, i, abi.stage.dense, s.inSize, s.outSize, acts[i], s.alpha, s.useBias ? 1 : 0);
    else if (s.kind === 'batchnorm') {
      e.netSetStage(net, i, abi.stage.batchnorm, s.size, s.size, acts[i], s.alpha, 0);
      e.netSetStageParams(net, i, s.eps, s.momentum);
    } else if (s.kind === 'dropout') {
      e.netSetStage(net, i, abi.stage.dropout, s.size, s.size, acts[i], 0, 0);
      e.netSetStageParams(net, i, s.rate, 0);
    } else e.netSetStage(net, i, abi.stage.activation, s.size, s.size, acts[i], s.alpha, 0);
  });
  const { nesterov, centered, amsgrad, decayBiases } = abi.flags;
  let flags = o.decayBiases ? decayBiases : 0;
  if (o.type === 'sgd') {
    if (o.nesterov) flags |= nesterov;
    e.netSetOptimizer(net, kind, flags, o.lr, o.momentum, o.dampening, 0, 0, 0, 0, o.weightDecay);
  } else if (o.type === 'rmsprop') {
    if (o.centered) flags |= centered;
    e.netSetOptimizer(net, kind, flags, o.lr, o.momentum, 0, 0, 0, o.eps, o.alpha, o.weightDecay);
  } else {
    if (o.amsgrad) flags |= amsgrad;
    e.netSetOptimizer(net, kind, flags, o.lr, 0, 0, o.beta1, o.beta2, o.eps, 0, o.weightDecay);
  }
  if (e.netBuild(net, capacity) === 0) {
    // netBuild freed what it took; the descriptor goes too, so a failed build leaks nothing.
    e.netDestroy(net);
    throw refused();
  }
  e.netSetTraining(net, plan.huberDelta ?? DEFAULT_HUBER_DELTA, plan.clipGradNorm ?? 0, plan.clipValue ?? 0);
  if (lr !== undefined) e.netSetLearningRate(net, lr);
  return net;
}
