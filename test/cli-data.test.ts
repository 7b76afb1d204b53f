// The CLI on the user's own data: regression targets (one or several columns), text class
// labels kept in the model, --scale stored and applied by predict, f32 printing, tiny data not
// split, --version, examples and defaults in --help, --threads and --weight-decay.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wasmlp } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlp-cli-data-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};
const lines = (s: string) => s.trim().split('\n');

// y = 1.5 a - 2 b - 4.25: every target negative or near it, so a ReLU/sigmoid output could not fit it.
const regression = file(
  'reg.csv',
  'a,b,y\n' +
    Array.from({ length: 100 }, (_, i) => {
      const a = Math.sin(i) * 3;
      const b = Math.cos(i * 0.7) * 2;
      return `${a.toFixed(4)},${b.toFixed(4)},${(1.5 * a - 2 * b - 4.25).toFixed(4)}`;
    }).join('\n') +
    '\n',
);
const colours = ['red', 'green', 'blue'];
const classes = file(
  'cls.csv',
  'a,b,kind\n' +
    Array.from({ length: 90 }, (_, i) => {
      const c = i % 3;
      return `${(c * 2 + Math.sin(i) * 0.5 + 100).toFixed(3)},${(c * 300 - Math.cos(i * 1.7) * 100).toFixed(3)},${colours[c]}`;
    }).join('\n') +
    '\n',
);

describe('wasmlp train on CSV data', () => {
  it('detects a regression from non-integer targets: linear output, MSE, MAE / MSE reported, predict prints values', async () => {
    const model = join(dir, 'reg.json');
    const r = await wasmlp(
      'train',
      '--data',
      `csv:${regression}`,
      '--scale',
      'standard',
      '--optimizer',
      'adam',
      '--lr',
      '0.02',
      '--epochs',
      '300',
      '--quiet',
      '--out',
      model,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const mae = Number(/test +loss [\d.]+ +mae ([\d.]+) +mse [\d.]+/.exec(r.stdout)![1]);
    expect(mae).toBeLessThan(0.3);
    const doc = JSON.parse(readFileSync(model, 'utf8'));
    expect(doc.compile.loss).toBe('mse');
    expect(doc.compile.metrics).toEqual(['mae', 'mse']);
    expect(doc.layers[doc.layers.length - 1].className).toBe('Dense'); // linear output
    expect(doc.metadata).toMatchObject({ task: 'regression', scaler: { type: 'standard' }, featureNames: ['a', 'b'], targetNames: ['y'] });
    const p = await wasmlp('predict', '--model', model, '--input', regression);
    const out = lines(p.stdout);
    expect(out[0]).toBe('y');
    const truth = lines(readFileSync(regression, 'utf8'))
      .slice(1)
      .map((l) => Number(l.split(',')[2]));
    const predicted = out.slice(1).map(Number);
    expect(Math.min(...predicted)).toBeLessThan(-8); // far below 0: the output is linear
    expect(predicted.reduce((s, v, i) => s + Math.abs(v - truth[i]), 0) / truth.length).toBeLessThan(0.3);
    for (const v of out.slice(1)) expect(v.replace(/^-/, '').replace(/e.*$/, '').replace('.', '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    const e = await wasmlp('evaluate', '--model', model, '--input', regression, '--json');
    expect(JSON.parse(e.stdout)).toMatchObject({ rows: 100 });
    expect(JSON.parse(e.stdout).mae).toBeLessThan(0.3);
  });

  it('trains on several target columns with --targets', async () => {
    const two = file('two.csv', Array.from({ length: 60 }, (_, i) => `${i / 60},${1 - i / 30},${i / 30 - 2},${(i % 7) / 3}`).join('\n') + '\n');
    const model = join(dir, 'two.json');
    const r = await wasmlp(
      'train',
      '--data',
      `csv:${two}`,
      '--targets',
      '2',
      '--optimizer',
      'adam',
      '--lr',
      '0.01',
      '--epochs',
      '20',
      '--quiet',
      '--out',
      model,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/train loss [\d.]+ +mae/);
    expect(JSON.parse(readFileSync(model, 'utf8')).layers.at(-1).config.units).toBe(2);
    const p = await wasmlp('predict', '--model', model, '--input', two);
    expect(lines(p.stdout)[0]).toBe('y0,y1');
  });

  it('encodes text labels, keeps them and the scaling in the model, and predicts the original labels', async () => {
    const model = join(dir, 'cls.json');
    const r = await wasmlp(
      'train',
      '--data',
      `csv:${classes}`,
      '--scale',
      'minmax',
      '--optimizer',
      'adam',
      '--lr',
      '0.03',
      '--epochs',
      '150',
      '--quiet',
      '--out',
      model,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(Number(/test +loss [\d.]+ +accuracy ([\d.]+)/.exec(r.stdout)![1])).toBeGreaterThanOrEqual(0.9);
    const doc = JSON.parse(readFileSync(model, 'utf8'));
    expect(doc.metadata.labels).toEqual(['blue', 'green', 'red']);
    expect(doc.metadata.scaler.type).toBe('minmax');
    const input = file('new.csv', 'a,b\n100.1,-90\n102,300\n104.2,610\n');
    const p = await wasmlp('predict', '--model', model, '--input', input, '--proba');
    const out = lines(p.stdout);
    expect(out[0]).toBe('class,p(blue),p(green),p(red)');
    expect(out.slice(1).map((l) => l.split(',')[0])).toEqual(['red', 'green', 'blue']);
    const e = await wasmlp('evaluate', '--model', model, '--input', classes, '--json');
    expect(JSON.parse(e.stdout).accuracy).toBeGreaterThanOrEqual(0.9);
    const unknown = await wasmlp('evaluate', '--model', model, '--input', file('odd.csv', '1,2,purple\n'));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/label "purple" is not one of the model's classes \(blue, green, red\)/);
  });

  it('refuses a task the labels cannot have', async () => {
    const r = await wasmlp('train', '--data', `csv:${classes}`, '--task', 'regression', '--quiet');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--task regression needs numeric targets, but row 1's target is "red"/);
    const bad = await wasmlp('train', '--data', 'moons', '--scale', 'log', '--quiet');
    expect(bad.stderr).toMatch(/--scale must be standard, minmax or none/);
  });
});

describe('wasmlp train on tiny data, flags, and help', () => {
  it('does not split 4 rows of xor and says so; predictions print at f32 precision', async () => {
    const model = join(dir, 'xor.json');
    const r = await wasmlp(
      'train',
      '--data',
      'xor',
      '--layers',
      '2,4,1',
      '--activation',
      'tanh',
      '--optimizer',
      'adam',
      '--lr',
      '0.05',
      '--epochs',
      '400',
      '--quiet',
      '--out',
      model,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/xor has 4 rows, fewer than 20: no test split/);
    expect(r.stdout).not.toMatch(/^test /m);
    expect(r.stdout).toMatch(/train loss [\d.]+ +accuracy 1\.0000/);
    const p = await wasmlp('predict', '--model', model, '--input', file('xor.csv', '0,0\n0,1\n1,0\n1,1\n'), '--proba');
    const values = lines(p.stdout)
      .slice(1)
      .map((l) => l.split(',')[1]);
    for (const v of values) {
      expect(v.replace(/e.*$/, '').replace(/[-.]/g, '').replace(/^0+/, '').length).toBeLessThanOrEqual(9);
    }
  });

  it('takes --threads and --weight-decay into the model', async () => {
    const model = join(dir, 'wd.json');
    const r = await wasmlp(
      'train',
      '--data',
      'moons',
      '--n',
      '200',
      '--epochs',
      '2',
      '--threads',
      '2',
      '--weight-decay',
      '0.001',
      '--optimizer',
      'adamw',
      '--quiet',
      '--out',
      model,
    );
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(model, 'utf8')).compile.optimizer).toMatchObject({ type: 'adamw', weightDecay: 0.001 });
    const bad = await wasmlp('train', '--data', 'moons', '--threads', 'many', '--quiet');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--threads must be an integer/);
  });

  it('prints --version, and --help with examples and defaults', async () => {
    const v = await wasmlp('--version');
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
    const main = await wasmlp('--help');
    expect(main.stdout).toMatch(/Examples:\n +\$ wasmlp demo/);
    const train = await wasmlp('train', '--help');
    expect(train.stdout).toMatch(/--epochs <n> +epochs \(default: "100"\)/);
    expect(train.stdout).toMatch(/--batch <n>[\s\S]{0,200}?\(default: "32"\)/);
    expect(train.stdout).toMatch(/--scale <how>[\s\S]{0,200}?\(default: "none"\)/);
    expect(train.stdout).toMatch(/Examples:\n +\$ wasmlp train --data xor/);
  });

  it('exports logits or probabilities to ONNX, and predict --proba of either import gives the same probabilities', async () => {
    const model = join(dir, 'logits.json');
    expect((await wasmlp('train', '--data', 'moons', '--n', '200', '--loss', 'bce_logits', '--epochs', '5', '--quiet', '--out', model)).code).toBe(0);
    const input = file('pts.csv', '0.5,0.2\n-1,0.75\n1.5,-0.4\n');
    const direct = await wasmlp('predict', '--model', model, '--input', input, '--proba');
    for (const output of ['logits', 'probabilities']) {
      const onnx = join(dir, `m-${output}.onnx`);
      const e = await wasmlp('export', '--model', model, '--onnx', onnx, '--output', output);
      expect(e.code, e.stderr).toBe(0);
      const imported = join(dir, `m-${output}.json`);
      expect((await wasmlp('import', onnx, '--out', imported)).code).toBe(0);
      const p = await wasmlp('predict', '--model', imported, '--input', input, '--proba');
      const rows = (t: string) =>
        lines(t)
          .slice(1)
          .map((l) => l.split(',').map(Number));
      rows(p.stdout).forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - rows(direct.stdout)[i][j])).toBeLessThan(1e-6)));
    }
    const bad = await wasmlp('export', '--model', model, '--onnx', join(dir, 'bad.onnx'), '--output', 'probs');
    expect(bad.stderr).toMatch(/--output must be logits or probabilities/);
  });
});
