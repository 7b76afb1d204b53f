// Every op of the WebAssembly core — GEMM in its three shapes, the fused dense forward, each
// activation's forward and derivative, each loss's value and gradient, and the Dense layer's
// weight gradients — against the float64 reference, through one helper, over awkward sizes.
import { describe, it } from 'vitest';
import { ACTIVATIONS, LOSSES, type Plan } from '../src/plan.js';
import { Random } from '../src/random.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { referenceOps } from '../src/reference/ops.js';
import { ready } from '../src/wasm/core.js';
import { WasmEngine } from '../src/wasm/engine.js';
import { AWKWARD, checkOp, randomValues } from './helpers/op-check.js';

await ready();

/** (m, n, k) triples: every awkward size appears in every position, without the 784³ cube. */
const TRIPLES: [number, number, number][] = AWKWARD.flatMap(
  (a, i) =>
    [
      [a, AWKWARD[(i + 2) % 7], AWKWARD[(i + 4) % 7]],
      [AWKWARD[(i + 1) % 7], a, AWKWARD[(i + 3) % 7]],
      [AWKWARD[(i + 5) % 7], AWKWARD[(i + 6) % 7], a],
    ] as [number, number, number][],
).filter(([m, n, k]) => m * n * k <= 784 * 65 * 63);
const SHAPES: [number, number][] = [
  [1, 1],
  [3, 5],
  [17, 63],
  [65, 3],
  [5, 784],
  [63, 17],
];

describe('wasm ops against the reference', () => {
  for (const kind of ['nn', 'tn', 'nt'] as const) {
    it(`gemm ${kind} over ${TRIPLES.length} awkward (m, n, k)`, () => {
      const random = new Random(kind.length * 11);
      for (const [m, n, k] of TRIPLES) {
        const a = randomValues(random, m * k, -1, 1);
        const b = randomValues(random, k * n, -1, 1);
        checkOp(`gemm ${kind} ${m}x${n}x${k}`, (ops) => ops.gemm(kind, a, b, m, n, k), 1e-5 * Math.sqrt(k), 1e-5);
      }
    });
  }

  for (const act of ACTIVATIONS) {
    it(`${act}: dense forward, activation forward and derivative`, () => {
      const random = new Random(act.length);
      const alpha = act === 'leaky_relu' ? 0.1 : 0;
      for (const [rows, cols] of SHAPES) {
        const z = randomValues(random, rows * cols);
        z[0] = 0; // the kink of relu, leaky_relu and step
        checkOp(`${act} forward ${rows}x${cols}`, (ops) => ops.activationForward(act, alpha, z, rows, cols));
        const a = Float64Array.from(referenceOps.activationForward(act, alpha, z, rows, cols), Math.fround);
        const g = randomValues(random, rows * cols);
        checkOp(`${act} derivative ${rows}x${cols}`, (o) => o.activationBackward(act, alpha, z, a, g, rows, cols), 1e-6, 1e-5);
      }
      for (const [rows, inSize, outSize] of [
        [1, 784, 3],
        [17, 5, 65],
        [63, 65, 1],
      ]) {
        const x = randomValues(random, rows * inSize, -1, 1);
        const w = randomValues(random, inSize * outSize, -0.2, 0.2);
        const b = randomValues(random, outSize, -0.5, 0.5);
        for (const bias of [b, null]) {
          checkOp(
            `dense ${act} ${rows}x${inSize}->${outSize} bias=${bias !== null}`,
            (o) => o.denseForward(x, w, bias, rows, inSize, outSize, act, alpha),
            1e-5,
            1e-5,
          );
        }
      }
    });
  }

  for (const loss of LOSSES) {
    for (const fused of loss === 'categorical_ce' ? [false, true] : [false]) {
      it(`loss ${loss}${fused ? ' fused with softmax' : ''}: value and gradient`, () => {
        const random = new Random(loss.length + (fused ? 50 : 0));
        for (const [rows, cols] of SHAPES) {
          const probabilities = loss === 'bce' || loss === 'categorical_ce';
          const y = probabilities ? randomValues(random, rows * cols, 0.02, 0.98) : randomValues(random, rows * cols);
          const classy = loss === 'softmax_ce' || loss === 'categorical_ce';
          const t = Float64Array.from({ length: rows * cols }, (_, i) =>
            classy ? (i % cols === (Math.floor(i / cols) * 7) % cols ? 1 : 0) : Math.fround(random.next()),
          );
          checkOp(`${loss} ${rows}x${cols}`, (o) => o.loss(loss, y, t, rows, cols, fused), 1e-6, 1e-5);
        }
      });
    }
  }

  it('loss huber with another delta: value and gradient', () => {
    const random = new Random(77);
    for (const [rows, cols] of SHAPES) {
      const y = randomValues(random, rows * cols);
      const t = randomValues(random, rows * cols);
      for (const delta of [0.25, 2]) checkOp(`huber delta ${delta} ${rows}x${cols}`, (o) => o.loss('huber', y, t, rows, cols, false, delta), 1e-6, 1e-5);
    }
  });

  it('dense layer gradients dW, db (and through a hidden layer) for every activation', () => {
    const random = new Random(5);
    for (const act of ACTIVATIONS) {
      for (const [rows, inSize, hidden] of [
        [1, 3, 5],
        [17, 65, 63],
        [64, 784, 17],
      ]) {
        const plan: Plan = {
          inputSize: inSize,
          outputSize: 3,
          loss: 'mse',
          stages: [
            { kind: 'dense', inSize, outSize: hidden, useBias: true, activation: act, alpha: 0.1 },
            { kind: 'dense', inSize: hidden, outSize: 3, useBias: true, activation: 'identity', alpha: 0 },
          ],
          optimizer: { type: 'sgd', lr: 0.1, momentum: 0, dampening: 0, nesterov: false, weightDecay: 0, decayBiases: true },
        };
        const params = [
          randomValues(random, inSize * hidden, -0.3, 0.3),
          randomValues(random, hidden, -0.3, 0.3),
          randomValues(random, hidden * 3, -0.3, 0.3),
          randomValues(random, 3, -0.3, 0.3),
        ];
        const x = randomValues(random, rows * inSize, -1, 1);
        const y = randomValues(random, rows * 3, -1, 1);
        const grads = (engine: ReferenceEngine | WasmEngine) => {
          engine.setParameters(params);
          const data = engine.loadData(x, y, rows);
          const loss = engine.computeGradients(data, 0, rows);
          const out = [loss, ...engine.getGradients().flatMap((gr) => Array.from(gr))];
          engine.dispose();
          return out;
        };
        // The loss and every gradient of a two-layer network, each backend through its engine.
        checkOp(
          `dense gradients ${act} ${rows}x${inSize}->${hidden}->3`,
          (o) => grads(o === referenceOps ? new ReferenceEngine(plan) : new WasmEngine(plan)),
          1e-6,
          1e-4,
        );
      }
    }
  });
});
