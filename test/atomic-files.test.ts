// Files are written whole or not at all: the atomic write (temporary file, fsync, rename), saves to
// one path in call order, bounded reads that refuse non-regular files, and a save killed with
// SIGKILL at many points that never loses the previous checkpoint.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Dense, ReLU, Sequential, ValueError } from '../src/index.js';
import { readFileBounded, writeFileAtomic } from '../src/io/atomic-file.js';
import { wasmlp } from './helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'wasmlp-atomic-'));

describe('writeFileAtomic and readFileBounded', () => {
  it('writes, replaces, and refuses a missing folder or (when asked) an existing file', async () => {
    const path = join(dir, 'a.bin');
    await writeFileAtomic(path, new Uint8Array([1, 2, 3]));
    expect([...readFileSync(path)]).toEqual([1, 2, 3]);
    await writeFileAtomic(path, 'text');
    expect(readFileSync(path, 'utf8')).toBe('text');
    await expect(writeFileAtomic(path, 'x', { overwrite: false })).rejects.toThrow(/exists; pass --force/);
    expect(readFileSync(path, 'utf8')).toBe('text');
    await expect(writeFileAtomic(join(dir, 'missing', 'a.bin'), 'x', { what: 'save' })).rejects.toThrow(ValueError);
    await expect(writeFileAtomic(join(dir, 'missing', 'a.bin'), 'x', { what: 'save' })).rejects.toThrow(
      /save: cannot write ".*missing\/a.bin": the folder ".*missing" does not exist/,
    );
    // No temporary file is left behind by a completed write.
    expect(readdirSync(dir).filter((f) => f.startsWith('a.bin'))).toEqual(['a.bin']);
  });

  it('reads regular files only, within a bound', async () => {
    const path = join(dir, 'b.bin');
    writeFileSync(path, new Uint8Array(100));
    expect((await readFileBounded(path, 100)).length).toBe(100);
    await expect(readFileBounded(path, 99, 'load')).rejects.toThrow(/load: ".*b.bin" is 100 bytes, more than the 99-byte limit/);
    await expect(readFileBounded('/dev/zero', 1e6, 'load')).rejects.toThrow(/load: "\/dev\/zero" is not a regular file/);
    await expect(readFileBounded(dir, 1e6, 'load')).rejects.toThrow(/is not a regular file/);
    await expect(readFileBounded(join(dir, 'none'), 1e6, 'load')).rejects.toThrow(/load: cannot read ".*none": ENOENT/);
  });

  it('Sequential.load refuses /dev/zero, and save to a missing folder is a ValueError naming the path', async () => {
    await expect(Sequential.load('/dev/zero')).rejects.toThrow(/"\/dev\/zero" is not a regular file/);
    const model = new Sequential([new Dense(2, 3), new ReLU(), new Dense(3, 1)], { seed: 1 });
    await expect(model.save(join(dir, 'nope', 'm.wasmlp'))).rejects.toThrow(ValueError);
    await expect(model.save(join(dir, 'nope', 'm.wasmlp'))).rejects.toThrow(/save: cannot write ".*nope\/m.wasmlp": the folder/);
    model.dispose();
  });

  it('runs overlapping saves to one path in call order: the file is the last model, whole', async () => {
    const path = join(dir, 'overlap.wasmlp');
    const models = [1, 2, 3, 4].map((seed) => new Sequential([new Dense(64, 256), new ReLU(), new Dense(256, 64)], { seed }));
    await Promise.all(models.map((m) => m.save(path)));
    const loaded = await Sequential.load(path);
    expect(loaded.getWeights()).toEqual(models[3].getWeights());
    loaded.dispose();
    for (const m of models) m.dispose();
  });
});

describe('a save killed with SIGKILL never loses the previous checkpoint', () => {
  it('leaves one of the two 70 MB models, whole, wherever in a save the kill lands', async () => {
    // 784-2048-2048-10 with Adam state: 5.8 M parameters, 3 copies of f32 = 70 MB per file.
    const build = async (seed: number, label: number) => {
      const m = new Sequential([new Dense(784, 2048), new ReLU(), new Dense(2048, 2048), new ReLU(), new Dense(2048, 10)], { seed });
      m.compile({ loss: 'softmax_ce', optimizer: 'adam' });
      await m.fit([Array.from({ length: 784 }, (_, i) => (i % 7) / 7)], [label], { epochs: 1 });
      const path = join(dir, `model-${seed}.wasmlp`);
      const bytes = await m.save(path);
      m.dispose();
      return { path, bytes: Buffer.from(bytes) };
    };
    const a = await build(1, 3);
    const b = await build(2, 5);
    expect(a.bytes.length).toBeGreaterThan(69e6);
    const target = join(dir, 'checkpoint.wasmlp');
    writeFileSync(target, a.bytes);
    const script = new URL('./helpers/save-loop.mjs', import.meta.url).pathname;
    const seen = { a: 0, b: 0 };
    const kills = 6;
    for (let k = 0; k < kills; k++) {
      const child = spawn(process.execPath, [script, a.path, b.path, target], { stdio: ['ignore', 'pipe', 'inherit'] });
      // Time two completed saves, then kill at the k-th eighth of the next one.
      const stamps: number[] = [];
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          for (const _ of chunk.toString().trim().split('\n')) stamps.push(performance.now());
          if (stamps.length >= 2) resolve();
        });
        child.once('exit', (code) => reject(new Error(`save loop exited early (${code})`)));
      });
      const period = stamps[stamps.length - 1] - stamps[stamps.length - 2];
      await new Promise((r) => setTimeout(r, (period * k) / kills));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const now = readFileSync(target);
      const isA = Buffer.compare(a.bytes, now) === 0;
      const isB = Buffer.compare(b.bytes, now) === 0;
      expect(isA || isB, `killed ${k}/${kills} into a save: the file is neither model`).toBe(true);
      if (isA) seen.a++;
      else seen.b++;
      const loaded = await Sequential.load(target);
      expect(loaded.outputSize).toBe(10);
      loaded.dispose();
      // A kill mid-write leaves the temporary file beside the target; only the target counts.
      for (const f of readdirSync(dir)) if (f.startsWith('checkpoint.wasmlp.')) rmSync(join(dir, f));
    }
    console.log(`kill during save: ${seen.a} times model A, ${seen.b} times model B, never a torn file`);
  }, 240_000);
});

describe('the CLI refuses to overwrite without --force and refuses non-regular inputs', () => {
  it('train --out refuses an existing file before training, and replaces it with --force', async () => {
    const out = join(dir, 'cli-model.json');
    writeFileSync(out, 'keep me');
    const refused = await wasmlp('train', '--data', 'xor', '--epochs', '1', '--out', out, '--quiet');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/cli-model.json exists; pass --force to replace it/);
    expect(readFileSync(out, 'utf8')).toBe('keep me');
    const forced = await wasmlp('train', '--data', 'xor', '--epochs', '1', '--out', out, '--quiet', '--force');
    expect(forced.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).format).toBeDefined();
  });

  it('train --resume continues a run exactly: 2 + 2 epochs equal 4 epochs', async () => {
    const common = ['--data', 'moons', '--n', '200', '--seed', '7', '--optimizer', 'adam', '--batch', '16', '--quiet'];
    const full = join(dir, 'full.json');
    const half = join(dir, 'half.json');
    const resumed = join(dir, 'resumed.json');
    expect((await wasmlp('train', ...common, '--epochs', '4', '--out', full)).code).toBe(0);
    expect((await wasmlp('train', ...common, '--epochs', '2', '--out', half)).code).toBe(0);
    const r = await wasmlp('train', ...common, '--epochs', '2', '--resume', half, '--out', resumed);
    expect(r.code, r.stderr).toBe(0);
    const weights = async (file: string) => {
      const m = await Sequential.load(file);
      const w = m.getWeights();
      m.dispose();
      return w;
    };
    expect(await weights(resumed)).toEqual(await weights(full));
    expect(await weights(half)).not.toEqual(await weights(full));
  });

  it('summary --model /dev/zero is refused as not a regular file', async () => {
    const r = await wasmlp('summary', '--model', '/dev/zero');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read model \/dev\/zero: "\/dev\/zero" is not a regular file/);
  });

  it('an empty model file is called empty', async () => {
    const empty = join(dir, 'empty.json');
    writeFileSync(empty, '');
    const r = await wasmlp('summary', '--model', empty);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is empty \(0 bytes\)/);
  });
});
