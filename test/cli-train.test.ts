// The CLI end to end: train writes a model and plots; predict / evaluate / summary read it;
// bad arguments and files give clear messages and exit code 2; Ctrl-C keeps the work (130).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bin, wasmlp } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlp-cli-'));

describe('wasmlp train / predict / evaluate / summary', () => {
  const model = join(dir, 'moons.json');
  const csv = join(dir, 'points.csv');

  it('trains moons, prints test accuracy, writes the model, boundary and curves', async () => {
    const r = await wasmlp(
      'train',
      '--data',
      'moons',
      '--n',
      '400',
      '--layers',
      '2,16,1',
      '--activation',
      'tanh',
      '--optimizer',
      'adam',
      '--lr',
      '0.03',
      '--epochs',
      '60',
      '--seed',
      '3',
      '--out',
      model,
      '--plot',
      join(dir, 'b.png'),
      '--curves',
      join(dir, 'c.svg'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const test = Number(/test +loss [\d.]+ +accuracy ([\d.]+)/.exec(r.stdout)![1]);
    expect(test).toBeGreaterThanOrEqual(0.9);
    expect(JSON.parse(readFileSync(model, 'utf8')).layers).toHaveLength(4);
    expect(readFileSync(join(dir, 'b.png')).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(join(dir, 'c.svg'), 'utf8')).toMatch(/^<svg/);
  });

  it('predicts, evaluates and summarises the saved model', async () => {
    writeFileSync(csv, 'x1,x2,label\n-1,0.5,0\n2,-0.2,1\n0,1,0\n1.5,-0.4,1\n');
    const p = await wasmlp('predict', '--model', model, '--input', csv, '--proba');
    expect(p.code).toBe(0);
    const lines = p.stdout.trim().split('\n');
    expect(lines[0]).toBe('class,p0');
    expect(lines.slice(1).map((l) => Number(l.split(',')[0]))).toEqual([0, 1, 0, 1]);
    const e = await wasmlp('evaluate', '--model', model, '--input', csv, '--json');
    expect(e.code).toBe(0);
    expect(JSON.parse(e.stdout)).toMatchObject({ rows: 4, accuracy: 1 });
    const s = await wasmlp('summary', '--model', model);
    expect(s.stdout).toContain('Total parameters: 65');
  });

  it('gives --help for every command', async () => {
    for (const command of ['demo', 'train', 'predict', 'evaluate', 'summary', 'example', 'check-fixture']) {
      const r = await wasmlp(command, '--help');
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`Usage: wasmlp ${command}`));
    }
  });

  it('refuses bad arguments and files with exit code 2 and a clear message', async () => {
    const cases: [string[], RegExp][] = [
      [['train', '--data', 'moons', '--frobnicate'], /unknown option '--frobnicate'/],
      [['train', '--data', 'moons', '--layers', '3,8,1'], /--layers starts with 3 inputs but moons has 2 features/],
      [['train', '--data', 'moons', '--layers', '2,x,1'], /--layers must list at least two positive integers/],
      [['train', '--data', 'blobs', '--layers', '2,8,1'], /3 classes: the last layer needs 3 outputs/],
      [['train', '--data', 'nope'], /unknown --data 'nope'/],
      [['train', '--data', 'moons', '--epochs', '-3'], /--epochs must be an integer >= 0/],
      [['train', '--data', 'moons', '--activation', 'swish'], /unknown activation "swish"/],
      [['train', '--data', `csv:${join(dir, 'missing.csv')}`], /cannot read .*missing.csv/],
      [['predict', '--model', join(dir, 'missing.json'), '--input', csv], /cannot read model/],
      [['example', '009'], /unknown example '009'/],
    ];
    writeFileSync(join(dir, 'ragged.csv'), '1,2,0\n3,4\n');
    writeFileSync(join(dir, 'text.csv'), '1,2,0\n3,four,1\n');
    cases.push([['train', '--data', `csv:${join(dir, 'ragged.csv')}`], /line 2 has 2 cells but the first row has 3/]);
    cases.push([['train', '--data', `csv:${join(dir, 'text.csv')}`], /line 2, column 2: "four" is not a number/]);
    for (const [args, message] of cases) {
      const r = await wasmlp(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
  });

  it('stops after the current batch on Ctrl-C and still writes the model and plots (exit 130)', async () => {
    const out = join(dir, 'interrupted.json');
    const child = spawn(process.execPath, [bin, 'train', '--data', 'moons', '--epochs', '1000000', '--batch', '8', '--out', out, '--plot', join(dir, 'i.png')]);
    let stdout = '';
    child.stdout.on('data', (d) => {
      stdout += d;
      if (stdout.includes('Total parameters') && !child.killed) setTimeout(() => child.kill('SIGINT'), 300);
    });
    const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)));
    expect(code).toBe(130);
    expect(stdout).toMatch(/interrupted after \d+ epoch\(s\)/);
    expect(existsSync(out)).toBe(true);
    expect(existsSync(join(dir, 'i.png'))).toBe(true);
  });
});
