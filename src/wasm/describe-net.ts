/**
 * Writing a plan's stages and optimiser settings into a network descriptor the core has just
 * created (netCreate), before netBuild allocates its buffers. Kept apart from the engine so
 * that the engine holds the calls a model makes and this file the one-time set-up.
 */
import type { Plan, Stage } from '../plan.js';
import type { Core } from './core.js';

/**
 * Sets every stage of `stages` (with its activation code from `acts`) and the optimiser
 * (`kind`, its code) of the descriptor at `net` in core c. Allocates nothing; mutates only the descriptor.
 */
export function describeNet(c: Core, net: number, plan: Plan, stages: readonly Stage[], acts: readonly number[], kind: number): void {
  const e = c.exports;
  const abi = c.abi;
  const o = plan.optimizer;
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
}
