/**
 * How a loss and the network's output fit together: which losses take logits (and which function
 * turns those into probabilities), and the compile-time refusal of loss / output pairs that
 * cannot train to anything meaningful (categorical_ce on a linear output reaches a negative loss,
 * bce on tanh diverges, softmax_ce after a Softmax squashes twice).
 */
import { ConfigError } from '../errors.js';
import type { ActivationName, LossName, Plan } from '../plan.js';
import type { ModelMetadata } from '../io/metadata.js';

/** The function that turns a network output into probabilities. */
export type ProbabilityLink = 'sigmoid' | 'softmax';

/** For a loss computed on logits, the function that gives its probabilities; null for other losses. */
export function logitLink(loss: LossName): ProbabilityLink | null {
  if (loss === 'softmax_ce') return 'softmax';
  if (loss === 'bce_logits' || loss === 'sigmoid_mse') return 'sigmoid';
  return null;
}

/** True for the losses whose targets are probabilities the network outputs itself. */
export function takesProbabilities(loss: LossName): boolean {
  return loss === 'bce' || loss === 'categorical_ce';
}

/**
 * The activation the network ends in: that of its last Dense or activation stage ('identity' for
 * a linear output), or null when the last stage is of another kind (nothing is then checked).
 */
export function outputActivationOf(plan: Plan): ActivationName | null {
  const last = plan.stages[plan.stages.length - 1] as { kind: string; activation?: ActivationName } | undefined;
  if (last === undefined || (last.kind !== 'dense' && last.kind !== 'activation')) return null;
  return last.activation ?? null;
}

function describeOutput(act: ActivationName): string {
  return act === 'identity' ? 'linear (no activation after the last Dense)' : `'${act}'`;
}

/**
 * Refuses (ConfigError naming the fix) a loss the model's output cannot serve: categorical_ce
 * needs a softmax output, bce a sigmoid or softmax output, the logit losses an output that is not
 * already squashed (and, for one sigmoid output, can go below 0). Reads the plan, changes nothing.
 */
export function checkLossMatchesOutput(plan: Plan): void {
  const act = outputActivationOf(plan);
  if (act === null) return;
  const loss = plan.loss;
  const output = describeOutput(act);
  if (loss === 'categorical_ce' && act !== 'softmax') {
    throw new ConfigError(
      `compile: loss 'categorical_ce' takes probabilities that sum to 1, but the model's output is ${output}: ` +
        `use loss 'softmax_ce' on logits (a linear output), or end the model with a Softmax layer`,
    );
  }
  if (loss === 'bce' && act !== 'sigmoid' && act !== 'softmax') {
    throw new ConfigError(
      `compile: loss 'bce' takes probabilities in [0, 1], but the model's output is ${output}: ` +
        `use loss 'bce_logits' on logits (a linear output), or end the model with a Sigmoid layer`,
    );
  }
  const link = logitLink(loss);
  if (link !== null && (act === 'sigmoid' || act === 'softmax')) {
    const probabilityLoss = link === 'softmax' ? 'categorical_ce' : 'bce';
    throw new ConfigError(
      `compile: loss '${loss}' applies ${link} itself and takes logits, but the model's output is already ${output}: ` +
        `remove the final ${act === 'softmax' ? 'Softmax' : 'Sigmoid'} layer for a linear output, or use loss '${probabilityLoss}' on probabilities`,
    );
  }
  if (link === 'sigmoid' && (act === 'relu' || act === 'step')) {
    throw new ConfigError(
      `compile: loss '${loss}' takes logits, but the model's output is ${output}, never negative, so no probability goes below 0.5: ` +
        `use a linear output (no activation after the last Dense)`,
    );
  }
}

/**
 * The probability function an uncompiled model's metadata names for its logits (its `logits`
 * key), or null. Here rather than in io/metadata.ts: predictProba reads it, and a page that only
 * trains and predicts then never loads the metadata checks, which only saving and loading need.
 */
export function metadataLogits(metadata: ModelMetadata): ProbabilityLink | null {
  const v = metadata.logits;
  return v === 'sigmoid' || v === 'softmax' ? v : null;
}

/**
 * The loss that says how to read a model's output: the compiled `loss`; for an uncompiled model
 * whose metadata marks logits (an ONNX import), a logit loss with that link; else `loss` (the raw
 * output's). Pure.
 */
export function readingLoss(loss: LossName, compiled: boolean, metadata: ModelMetadata): LossName {
  if (compiled) return loss;
  const link = metadataLogits(metadata);
  return link === 'softmax' ? 'softmax_ce' : link === 'sigmoid' ? 'bce_logits' : loss;
}
