/** A printable table of a model: each layer, its output shape and its parameter count. */
import type { Plan } from '../plan.js';
import { Activation, Dense, type Layer } from './layers.js';
import { BatchNorm } from './batchnorm.js';
import { Dropout } from './dropout.js';

/**
 * The summary table of `layers` (sizes from `plan`), with totals and, when `compiled`, the loss
 * and optimiser (an uncompiled model has none to claim).
 */
export function summarize(layers: readonly Layer[], plan: Plan, compiled = true): string {
  const rows: [string, string, string][] = [['Layer', 'Output shape', 'Params']];
  let width = plan.inputSize;
  let total = 0;
  layers.forEach((layer, i) => {
    let name = `${i}: ${layer.className}`;
    let params = 0;
    if (layer instanceof Dense) {
      params = layer.inputs * layer.units + (layer.useBias ? layer.units : 0);
      width = layer.units;
      name += ` (${layer.inputs}→${layer.units}${layer.useBias ? '' : ', no bias'})`;
    } else if (layer instanceof BatchNorm) {
      // gamma and beta are trained; the running mean and variance are weights too (as Keras counts them).
      params = 4 * layer.features;
      name += ` (${layer.features}, momentum ${layer.momentum}, eps ${layer.eps})`;
    } else if (layer instanceof Dropout) {
      name += ` (${layer.rate})`;
    } else if (layer instanceof Activation) {
      name = `${i}: ${layer.activation}${layer.activation === 'leaky_relu' ? `(${layer.alpha})` : ''}`;
    }
    total += params;
    rows.push([name, `[n, ${width}]`, String(params)]);
  });
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: [string, string, string]) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2].padStart(widths[2])}`;
  const rule = '-'.repeat(widths[0] + widths[1] + widths[2] + 4);
  return [
    line(rows[0]),
    rule,
    ...rows.slice(1).map(line),
    rule,
    `Total parameters: ${total}`,
    `Input: [n, ${plan.inputSize}]  ` +
      (compiled ? `Loss: ${plan.loss}  Optimizer: ${plan.optimizer.type} lr ${plan.optimizer.lr}` : 'Not compiled (no loss or optimizer yet)'),
  ].join('\n');
}
