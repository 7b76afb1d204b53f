// The playground's teaching code that runs without a browser: the URL's weight edits, the CSV
// reader's two tasks, the regression data sets, and the step panel's promise — the batch that
// nextBatchRows names is the one fit takes, so the trace's ΔW is the step's real change.
import { describe, expect, it } from 'vitest';
import { Sequential, Dense, Tanh } from 'wasmlp';
import { decodeState, encodeState, DEFAULT_STATE, lossForTask } from '../web/src/state.js';
import { makeData, parseUpload } from '../web/src/data.js';
import { regressionPoints, regressionTarget } from '../web/src/regression-data.js';
import { applyEdit, nextBatchRows, stepReport, edgeInfo } from '../web/src/inspect.js';

describe('playground state', () => {
  it('keeps weight edits in the URL and drops malformed ones', () => {
    const s = {
      ...DEFAULT_STATE,
      edits: [
        { step: 40, layer: 1, i: 3, j: 2, value: -0.5 },
        { step: 41, layer: 0, i: 0, j: 0, value: 1e-7 },
      ],
    };
    const hash = encodeState(s);
    expect(hash).toContain('edits=40_1_3_2_-0.5,41_0_0_0_1e-7');
    expect(decodeState(hash).edits).toEqual(s.edits);
    expect(decodeState('#edits=1_2_3,5_0_0_0_x,6_0_0_0_5000,-1_0_0_0_1,7_0_1_1_2').edits).toEqual([{ step: 7, layer: 0, i: 1, j: 1, value: 2 }]);
    expect(decodeState('#data=plane').dataset).toBe('plane');
    expect(lossForTask('regression', 'cross_entropy')).toBe('mse');
    expect(lossForTask('classification', 'huber')).toBe('cross_entropy');
    expect(lossForTask('regression', 'huber')).toBe('huber');
  });
});

describe('playground data', () => {
  it('reads a CSV of integer labels as classes and one of real targets as a regression', () => {
    const classes = parseUpload('x1,x2,label\n0,0,3\n1,1,5\n2,0,3\n');
    expect(classes).toMatchObject({ task: 'classification', classes: 2, y: [0, 1, 0] });
    const real = parseUpload('x1,x2,y\n0,0,0.25\n1,1,-1.5\n2,0,3\n');
    expect(real).toMatchObject({ task: 'regression', classes: 1, y: [0.25, -1.5, 3] });
    expect(() => parseUpload('a,b\n1,2\n')).toThrow(/3 columns/);
    expect(() => parseUpload('a,b,c\n1,2,1\n3,4,1\n')).toThrow(/2 distinct/);
    const data = makeData({ ...DEFAULT_STATE, dataset: 'csv', trainRatio: 0.5 }, { ...real, x: [...real.x, [3, 3]], y: [...real.y, 7] });
    expect(data.task).toBe('regression');
    expect(data.range).toBe(7);
  });

  it('makes the plane and the Gaussian mixture: real targets over the plane, seeded, noise on the target', () => {
    const a = regressionPoints('plane', 200, 0, 3);
    expect(a).toEqual(regressionPoints('plane', 200, 0, 3));
    a.x.forEach(([u, v], i) => expect(a.y[i]).toBeCloseTo((u + v) / 6, 12));
    const g = regressionPoints('gaussians', 500, 0, 1);
    expect(Math.min(...g.y)).toBeLessThan(-0.5);
    expect(Math.max(...g.y)).toBeGreaterThan(0.5);
    expect(regressionTarget('gaussians', 0, 0)).toBeGreaterThan(0.9);
    const noisy = regressionPoints('gaussians', 500, 0.2, 1);
    const sd = Math.sqrt(noisy.y.reduce((s, y, i) => s + (y - g.y[i]) ** 2, 0) / 500);
    expect(sd).toBeGreaterThan(0.15);
    expect(sd).toBeLessThan(0.25);
    const data = makeData({ ...DEFAULT_STATE, dataset: 'gaussians', points: 300 }, null);
    expect(data).toMatchObject({ task: 'regression', classes: 1 });
    expect(data.train.y.length + data.test.y.length).toBe(300);
  });
});

describe('the step panel reads the step fit takes', () => {
  it('nextBatchRows names each batch of fit, so the trace ΔW equals the weight change, across an epoch boundary', async () => {
    const n = 30;
    const x = Array.from({ length: n }, (_, i) => [Math.sin(i), Math.cos(3 * i)]);
    const y = x.map(([a, b]) => (a * b > 0 ? 1 : 0));
    const model = new Sequential([new Dense(2, 5), new Tanh(), new Dense(5, 2)], { seed: 7, backend: 'reference' });
    model.compile({ loss: 'softmax_ce', optimizer: { type: 'adam', lr: 0.05 } });
    // 4 batches of 8 (the last 6): seven one-batch steps cross into the second epoch's order.
    for (let step = 1; step <= 7; step++) {
      const rows = nextBatchRows(model, n, 8);
      expect(rows.length).toBe(step % 4 === 0 ? 6 : 8);
      const t = model.trace(
        rows.map((r) => x[r]),
        rows.map((r) => y[r]),
      );
      const before = model.getWeights()[0] as number[][];
      model.stopTraining = false;
      await model.fit(x, y, {
        epochs: 1,
        batchSize: 8,
        shuffle: true,
        onBatchEnd: (b) => {
          if (b < 3) model.stopTraining = true;
        },
      });
      model.stopTraining = false;
      const after = model.getWeights()[0] as number[][];
      const report = stepReport(t, rows, step, 0);
      const change = after.flat().map((w, k) => w - before.flat()[k]);
      change.slice(0, report.layers[0].dWUpdate.first.length).forEach((d, k) => expect(d).toBeCloseTo(report.layers[0].dWUpdate.first[k], 12));
      expect(report.layers[1].a.first).toEqual(report.layers[1].z.first);
      report.layers[0].a.first.forEach((a, k) => expect(a).toBeCloseTo(Math.tanh(report.layers[0].z.first[k]), 12));
    }
    model.dispose();
  });

  it('edits one weight, refusing a link the network lacks and values out of range without changing anything', () => {
    const model = new Sequential([new Dense(2, 3), new Tanh(), new Dense(3, 1)], { seed: 1, backend: 'reference' });
    model.compile({ loss: 'mse' });
    const before = JSON.stringify(model.getWeights());
    expect(() => applyEdit(model, { layer: 2, i: 0, j: 0, value: 1 })).toThrow(/no link/);
    expect(() => applyEdit(model, { layer: 0, i: 2, j: 0, value: 1 })).toThrow(/no link/);
    expect(() => applyEdit(model, { layer: 0, i: 0, j: 0, value: Infinity })).toThrow(/finite/);
    expect(() => applyEdit(model, { layer: 0, i: 0, j: 0, value: 2000 })).toThrow(/within/);
    expect(JSON.stringify(model.getWeights())).toBe(before);
    applyEdit(model, { layer: 1, i: 2, j: 0, value: 0.75 });
    expect((model.getWeights()[2] as number[][])[2][0]).toBe(0.75);
    const t = model.trace([[0.5, -1]], [0.2]);
    const info = edgeInfo(t, { layer: 1, i: 2, j: 0 }, 'test');
    expect(info.weight).toBe(0.75);
    expect(info.gradient).toBe(t.layers[1].dW![2][0]);
    model.dispose();
  });
});
