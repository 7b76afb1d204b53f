/**
 * The reference engine's contract beyond the maths: non-finite steps change nothing, row
 * order, optimiser state round trips, weight decay stays out of the gradients, disposal,
 * input checks, and referenceOps agreeing with the engine.
 */
import { describe, expect, it } from 'vitest';
import { StepStatus } from '../src/engine.js';
import type { OptimizerConfig, Plan, Stage } from '../src/plan.js';
import { parameterLayout } from '../src/plan.js';
import { ReferenceEngine } from '../src/reference/engine.js';
import { referenceOps } from '../src/reference/ops.js';
import { Random } from '../src/random.js';

const sgd = (o: Partial<Extract<OptimizerConfig, { type: 'sgd' }>> = {}): OptimizerConfig => ({
  type: 'sgd',
  lr: 0.1,
  momentum: 0,
  dampening: 0,
  nesterov: false,
  weightDecay: 0,
  decayBiases: true,
  ...o,
});
const adam: OptimizerConfig = { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decayBiases: true, amsgrad: false };

/** A 1-in, 1-out linear model (one W, one b): small enough to push to overflow on purpose. */
const linear = (optimizer: OptimizerConfig, loss: Plan['loss'] = 'sse'): Plan => ({
  inputSize: 1,
  outputSize: 1,
  loss,
  optimizer,
  stages: [{ kind: 'dense', inSize: 1, outSize: 1, useBias: true, activation: 'identity', alpha: 0 }],
});

const mlp = (optimizer: OptimizerConfig): Plan => ({
  inputSize: 3,
  outputSize: 2,
  loss: 'mse',
  optimizer,
  stages: [
    { kind: 'dense', inSize: 3, outSize: 5, useBias: true, activation: 'tanh', alpha: 0 },
    { kind: 'dense', inSize: 5, outSize: 2, useBias: true, activation: 'sigmoid', alpha: 0 },
  ],
});

function randomEngine(plan: Plan, seed: number, rows = 8) {
  const rng = new Random(seed);
  const engine = new ReferenceEngine(plan);
  engine.setParameters(parameterLayout(plan).map((l) => Float64Array.from({ length: l.length }, () => rng.normal(0, 0.5))));
  const x = Float64Array.from({ length: rows * plan.inputSize }, () => rng.normal());
  const y = Float64Array.from({ length: rows * plan.outputSize }, () => rng.next());
  return { engine, x, y, data: engine.loadData(x, y, rows) };
}

/** Everything a failed step must leave alone. */
function snapshot(engine: ReferenceEngine) {
  return { params: engine.getParameters(), grads: engine.getGradients(), state: engine.getOptimizerState() };
}

describe('non-finite steps change nothing', () => {
  // One good momentum step first, so there is non-zero state and gradients to preserve.
  function primed(optimizer: OptimizerConfig): ReferenceEngine {
    const engine = new ReferenceEngine(linear(optimizer));
    engine.setParameters([[0.5], [0.1]]);
    engine.trainStep(engine.loadData([1], [2], 1), 0, 1);
    expect(engine.lastStatus).toBe(StepStatus.Ok);
    return engine;
  }

  it('a non-finite loss: NonFiniteLoss', () => {
    const engine = primed(sgd({ momentum: 0.9 }));
    engine.setParameters([[1e300], [0]]);
    const data = engine.loadData([10], [0], 1); // y = 1e301, 0.5 y² = Infinity
    const before = snapshot(engine);
    expect(engine.trainStep(data, 0, 1)).toBe(Infinity);
    expect(engine.lastStatus).toBe(StepStatus.NonFiniteLoss);
    expect(snapshot(engine)).toEqual(before);
  });

  it('a NaN loss: NonFiniteLoss', () => {
    const engine = primed(sgd({ momentum: 0.9 }));
    engine.setParameters([[Infinity], [-Infinity]]);
    const before = snapshot(engine);
    expect(engine.trainStep(engine.loadData([1], [0], 1), 0, 1)).toBeNaN();
    expect(engine.lastStatus).toBe(StepStatus.NonFiniteLoss);
    expect(snapshot(engine)).toEqual(before);
  });

  it('a finite loss with an overflowing gradient: NonFiniteGradient', () => {
    // W = 0, x = 1e250, t = 1e100: loss = 0.5e200 is finite, dW = x (y - t) = -1e350 is not.
    const engine = primed(sgd({ momentum: 0.9 }));
    engine.setParameters([[0], [0]]);
    const before = snapshot(engine);
    expect(engine.trainStep(engine.loadData([1e250], [1e100], 1), 0, 1)).toBe(0.5e200);
    expect(engine.lastStatus).toBe(StepStatus.NonFiniteGradient);
    expect(snapshot(engine)).toEqual(before);
  });

  it('an update that overflows a parameter: NonFiniteUpdate', () => {
    // Loss 0.5·100² is finite, dW = 1e4 is finite, lr·dW = 1e312 is not. The momentum buffer and
    // the step count must stay at their fresh values.
    const engine = new ReferenceEngine(linear(sgd({ lr: 1e308, momentum: 0.9 })));
    engine.setParameters([[1], [0]]);
    const data = engine.loadData([100], [0], 1);
    engine.computeGradients(engine.loadData([1], [2], 1), 0, 1); // some gradients to preserve
    const before = snapshot(engine);
    expect(engine.trainStep(data, 0, 1)).toBe(5000);
    expect(engine.lastStatus).toBe(StepStatus.NonFiniteUpdate);
    expect(snapshot(engine)).toEqual(before);
    expect(engine.getOptimizerState().step).toBe(0);

    // The same engine then trains normally on a batch whose update stays finite.
    engine.trainStep(engine.loadData([0], [1e-300], 1), 0, 1); // db = -1e-300, b += 1e8
    expect(engine.lastStatus).toBe(StepStatus.Ok);
    expect(engine.getParameters()[1][0]).toBeCloseTo(1e8, 0);
    expect(engine.getOptimizerState().step).toBe(1);
  });

  it('an update that overflows optimiser state only (Adam v = g²): NonFiniteUpdate', () => {
    // x = 1e100, y - t = -1e100: g = 1e200 is finite, g² is not; the parameter itself would stay finite.
    const engine = primed(adam);
    engine.setParameters([[0], [0]]);
    const data = engine.loadData([1e100], [1e100], 1);
    const before = snapshot(engine);
    engine.trainStep(data, 0, 1);
    expect(engine.lastStatus).toBe(StepStatus.NonFiniteUpdate);
    expect(snapshot(engine)).toEqual(before);
  });
});

describe('reference engine contract', () => {
  it('setOrder picks batch rows; null restores the identity; the order is copied', () => {
    const plan = mlp(sgd());
    const { engine, x, y, data } = randomEngine(plan, 1, 6);
    const order = Int32Array.of(4, 1, 5, 0, 2, 3);
    // The same rows physically reordered, in a second engine with the same weights.
    const xs = new Float64Array(x.length),
      ys = new Float64Array(y.length);
    order.forEach((r, i) => {
      xs.set(x.subarray(r * 3, r * 3 + 3), i * 3);
      ys.set(y.subarray(r * 2, r * 2 + 2), i * 2);
    });
    const twin = new ReferenceEngine(plan);
    twin.setParameters(engine.getParameters());
    const moved = twin.loadData(xs, ys, 6);

    data.setOrder(order);
    order[0] = 3; // must not affect the handle
    expect(engine.computeGradients(data, 1, 3)).toBe(twin.computeGradients(moved, 1, 3));
    expect(engine.getGradients()).toEqual(twin.getGradients());
    data.setOrder(null);
    const plain = engine.computeGradients(data, 1, 3);
    expect(plain).not.toBe(twin.computeGradients(moved, 1, 3));
    expect(() => data.setOrder(Int32Array.of(0, 6))).toThrow(/outside/);
    data.setOrder(Int32Array.of(5, 4)); // an order may cover fewer rows than the data
    expect(() => engine.computeGradients(data, 1, 2)).toThrow(/batch \[1, 3\) is not inside \[0, 2\)/);
  });

  it('optimiser state round-trips: two engines continue bit for bit', () => {
    const plan = mlp(adam);
    const a = randomEngine(plan, 2);
    for (let i = 0; i < 3; i++) a.engine.trainStep(a.data, 0, 8);
    const b = new ReferenceEngine(plan);
    b.setParameters(a.engine.getParameters());
    b.setOptimizerState(a.engine.getOptimizerState());
    const bData = b.loadData(a.x, a.y, 8);
    expect(b.trainStep(bData, 2, 4)).toBe(a.engine.trainStep(a.data, 2, 4));
    expect(b.getParameters()).toEqual(a.engine.getParameters());
    expect(b.getOptimizerState()).toEqual(a.engine.getOptimizerState());
    expect(a.engine.getOptimizerState().step).toBe(4);
    expect(Object.keys(a.engine.getOptimizerState().buffers).sort()).toEqual(['m', 'v']);
    a.engine.resetOptimizer();
    const reset = a.engine.getOptimizerState();
    expect(reset.step).toBe(0);
    expect(reset.buffers.m.every((v) => v === 0)).toBe(true);
    expect(() => b.setOptimizerState({ step: 1, buffers: { m: new Float64Array(3) } })).toThrow(/buffers/);
  });

  it('getGradients stays before weight decay; decayBiases false leaves biases undecayed', () => {
    const plan = mlp(sgd({ weightDecay: 0.5, decayBiases: false }));
    const { engine, data } = randomEngine(plan, 3);
    const p0 = engine.getParameters();
    engine.computeGradients(data, 0, 8);
    const g = engine.getGradients();
    engine.trainStep(data, 0, 8);
    expect(engine.getGradients()).toEqual(g);
    const p1 = engine.getParameters();
    parameterLayout(plan).forEach((l, t) => {
      for (let i = 0; i < l.length; i++) {
        const decay = l.isBias ? 0 : 0.5 * p0[t][i];
        expect(p1[t][i]).toBeCloseTo(p0[t][i] - 0.1 * (g[t][i] + decay), 14);
      }
    });
  });

  it('rejects misuse with clear errors, and throws after dispose', () => {
    const plan = mlp(sgd());
    const { engine, data } = randomEngine(plan, 4);
    expect(() => engine.loadData([1, 2], [1, 2], 1)).toThrow(/x has 2 values/);
    expect(() => engine.loadData([1, 2, 3], [1], 1)).toThrow(/y has 1 values/);
    expect(() => engine.trainStep(data, 6, 3)).toThrow(/batch/);
    expect(() => engine.predict([1, 2], 1)).toThrow(/predict/);
    expect(() => engine.setParameters([[1]])).toThrow(/tensors/);
    expect(() => new ReferenceEngine(plan).trainStep(data, 0, 1)).toThrow(/this engine/);
    data.dispose();
    data.dispose();
    expect(() => engine.trainStep(data, 0, 1)).toThrow(/disposed/);
    engine.dispose();
    engine.dispose();
    expect(() => engine.getParameters()).toThrow(/disposed/);
    expect(() => engine.predict([1, 2, 3], 1)).toThrow(/disposed/);
    expect(() => engine.loadData([], [], 0)).toThrow(/disposed/);
  });
});

describe('referenceOps', () => {
  it('gemm nn / tn / nt on a hand example', () => {
    const a = [1, 2, 3, 4, 5, 6]; // [2×3]
    const b = [1, 0, 0, 1, 1, 1]; // [3×2]
    expect(Array.from(referenceOps.gemm('nn', a, b, 2, 2, 3))).toEqual([4, 5, 10, 11]);
    // a read as [3×2] stored -> aᵀ [2×3] times b [3×2]: [[1,3,5],[2,4,6]]·b
    expect(Array.from(referenceOps.gemm('tn', [1, 2, 3, 4, 5, 6], b, 2, 2, 3))).toEqual([6, 8, 8, 10]);
    // a [2×3] times bᵀ where b stored [2×3] = [[1,0,0],[1,1,1]]
    expect(Array.from(referenceOps.gemm('nt', a, [1, 0, 0, 1, 1, 1], 2, 2, 3))).toEqual([1, 6, 4, 15]);
  });

  it('denseForward equals the engine forward of a one-stage plan', () => {
    const stage: Stage = { kind: 'dense', inSize: 3, outSize: 4, useBias: true, activation: 'leaky_relu', alpha: 0.1 };
    const plan: Plan = { inputSize: 3, outputSize: 4, stages: [stage], loss: 'mse', optimizer: sgd() };
    const { engine, x } = randomEngine(plan, 5);
    const [w, b] = engine.getParameters();
    expect(referenceOps.denseForward(x, w, b, 8, 3, 4, 'leaky_relu', 0.1)).toEqual(engine.predict(x, 8));
  });

  it('softmax forward/backward and the fused categorical_ce gradient', () => {
    const z = [1, 2, 3, 0, 0, 0];
    const p = referenceOps.activationForward('softmax', 0, z, 2, 3);
    expect(p[3]).toBeCloseTo(1 / 3, 15);
    const t = [0, 0, 1, 1, 0, 0];
    const fused = referenceOps.loss('categorical_ce', p, t, 2, 3, true);
    const unfused = referenceOps.loss('categorical_ce', p, t, 2, 3, false);
    expect(fused.value).toBe(unfused.value);
    expect(fused.value).toBeCloseTo((-Math.log(p[2]) - Math.log(1 / 3)) / 2, 15);
    // Through the softmax Jacobian the unfused gradient becomes the fused one.
    const through = referenceOps.activationBackward('softmax', 0, z, p, unfused.grad, 2, 3);
    through.forEach((v, i) => expect(v).toBeCloseTo(fused.grad[i], 15));
    expect(() => referenceOps.loss('mse', p, t, 2, 3, true)).toThrow(/categorical_ce/);
  });
});
