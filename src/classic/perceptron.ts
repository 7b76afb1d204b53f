/**
 * Rosenblatt's perceptron (seed 002): one neuron with a step activation, trained by the
 * perceptron learning rule rather than by gradients. It finds a separating line when one
 * exists, and says so; on XOR it cannot, and `fit` reports that it did not converge.
 */
import { ValueError, describe } from '../errors.js';
import { toMatrix, type Input } from '../model/input.js';
import { Random } from '../random.js';

/** What Perceptron.fit reports. */
export interface PerceptronResult {
  /** True when an epoch classified every sample correctly (training stops there). */
  converged: boolean;
  /** Epochs run. */
  epochs: number;
  /** Misclassified samples in each epoch, before that epoch's updates. */
  mistakes: number[];
}

/** A single step-activation neuron: predicts 1 when x·w + b > 0, else 0. */
export class Perceptron {
  /** The weights, one per input. Mutated by fit. */
  readonly w: Float64Array;
  /** The bias. Mutated by fit. */
  b = 0;

  /** A perceptron over `inputs` features; weights start at zero unless `seed` asks for small random ones. */
  constructor(
    readonly inputs: number,
    options: { seed?: number } = {},
  ) {
    if (!Number.isSafeInteger(inputs) || inputs < 1) throw new ValueError(`Perceptron: inputs must be a positive integer, got ${describe(inputs)}`);
    this.w = new Float64Array(inputs);
    if (options.seed !== undefined) {
      const random = new Random(options.seed);
      for (let i = 0; i < inputs; i++) this.w[i] = random.normal(0, 0.01);
    }
  }

  /** The raw activation x·w + b of one row. */
  private activation(row: Float64Array | Float32Array): number {
    let s = this.b;
    for (let i = 0; i < this.inputs; i++) s += row[i] * this.w[i];
    return s;
  }

  /** Predicted 0/1 class per sample (the step function of x·w + b). */
  predict(x: Input): number[] {
    const m = toMatrix(x, this.inputs);
    const out: number[] = [];
    for (let r = 0; r < m.rows; r++) out.push(this.activation(m.data.subarray(r * m.cols, (r + 1) * m.cols)) > 0 ? 1 : 0);
    return out;
  }

  /**
   * The perceptron rule: for each misclassified sample (labels 0/1 read as -1/+1),
   * w ← w + lr·t·x and b ← b + lr·t. Stops at the first epoch with no mistake, or after
   * `epochs`. Mutates w and b.
   */
  fit(x: Input, y: readonly number[], { epochs = 100, lr = 1 }: { epochs?: number; lr?: number } = {}): PerceptronResult {
    const m = toMatrix(x, this.inputs);
    if (!Array.isArray(y) || y.length !== m.rows) throw new ValueError(`Perceptron: y must list one 0/1 label per row (${m.rows}), got ${describe(y)}`);
    y.forEach((v, i) => {
      if (v !== 0 && v !== 1) throw new ValueError(`Perceptron: label ${describe(v)} at row ${i} is not 0 or 1`);
    });
    if (!Number.isSafeInteger(epochs) || epochs < 1) throw new ValueError(`Perceptron: epochs must be a positive integer, got ${describe(epochs)}`);
    if (!(lr > 0) || !Number.isFinite(lr)) throw new ValueError(`Perceptron: lr must be a finite number > 0, got ${describe(lr)}`);
    const mistakes: number[] = [];
    for (let epoch = 0; epoch < epochs; epoch++) {
      let wrong = 0;
      for (let r = 0; r < m.rows; r++) {
        const row = m.data.subarray(r * m.cols, (r + 1) * m.cols);
        const t = y[r] === 1 ? 1 : -1;
        if (t * this.activation(row) > 0) continue;
        wrong++;
        for (let i = 0; i < this.inputs; i++) this.w[i] += lr * t * row[i];
        this.b += lr * t;
      }
      mistakes.push(wrong);
      if (wrong === 0) return { converged: true, epochs: epoch + 1, mistakes };
    }
    return { converged: false, epochs, mistakes };
  }
}
