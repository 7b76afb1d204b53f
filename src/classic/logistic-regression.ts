/** Logistic regression as a one-layer network (seed 000): Dense(inputs, 1) on logits with BCE. */
import { Dense } from '../model/layers.js';
import { Sequential, type SequentialOptions } from '../model/sequential.js';
import { SGD } from '../model/optimizers.js';

/**
 * A compiled logistic regression: one Dense(inputs, 1) whose output is a logit, loss
 * `bce_logits` (PyTorch's BCEWithLogitsLoss), SGD with `lr` (default 0.1, as seed 000).
 */
export function logisticRegression(inputs: number, options: SequentialOptions & { lr?: number } = {}): Sequential {
  const { lr = 0.1, ...modelOptions } = options;
  const model = new Sequential([new Dense(inputs, 1)], modelOptions);
  model.compile({ loss: 'bce_logits', optimizer: new SGD({ lr }), metrics: ['accuracy'] });
  return model;
}
