// `wasmlp export --pytorch DIR` / `--tfjs DIR` and `wasmlp import --safetensors FILE`.
// Spawns node bin/wasmlp.js, which runs dist/: run `npm run build:ts` first.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, Dense, Sequential, Sigmoid, Tanh, ValueError, encodeSafetensors, exportPyTorch, parseSafetensors } from '../src/index.js';
import { wasmlp } from './helpers/cli.js';

describe('wasmlp export --pytorch / --tfjs, import --safetensors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlp-interop-cli-'));

  it('writes the PyTorch package and the tfjs files, refuses to overwrite without --force, and imports the weights back', async () => {
    const model = new Sequential([new Dense(2, 4), new Tanh(), new Dense(4, 1), new Sigmoid()], { seed: 4 });
    model.compile({ loss: 'bce', optimizer: { type: 'adam', lr: 0.01 } });
    writeFileSync(join(dir, 'model.json'), JSON.stringify(model));
    const r = await wasmlp(
      'export',
      '--model',
      join(dir, 'model.json'),
      '--pytorch',
      join(dir, 'torch'),
      '--tfjs',
      join(dir, 'tfjs'),
      '--epochs',
      '7',
      '--batch',
      '16',
      '--no-shuffle',
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of ['model.py', 'train.py', 'config.json', 'weights.safetensors']) expect(existsSync(join(dir, 'torch', f))).toBe(true);
    for (const f of ['model.json', 'weights.bin']) expect(existsSync(join(dir, 'tfjs', f))).toBe(true);
    const config = JSON.parse(readFileSync(join(dir, 'torch', 'config.json'), 'utf8'));
    expect(config.fit).toEqual({ epochs: 7, batchSize: 16, shuffle: false });
    expect(config.compile.optimizer.type).toBe('adam');
    const again = await wasmlp('export', '--model', join(dir, 'model.json'), '--pytorch', join(dir, 'torch'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/exists/);

    const back = await wasmlp('import', '--safetensors', join(dir, 'torch', 'weights.safetensors'), '--out', join(dir, 'back.json'));
    expect(back.code).toBe(0);
    const loaded = Sequential.fromJSON(readFileSync(join(dir, 'back.json'), 'utf8'));
    expect(loaded.predict([[0.3, -0.7]])).toEqual(model.predict([[0.3, -0.7]]));
    expect(loaded.compiled).toBe(true);

    // Without the metadata, the config.json beside the file gives the architecture.
    const bare = encodeSafetensors([...parseSafetensors(readFileSync(join(dir, 'torch', 'weights.safetensors'))).tensors].map(([name, t]) => ({ name, ...t })));
    writeFileSync(join(dir, 'torch', 'bare.safetensors'), bare);
    const viaConfig = await wasmlp('import', '--safetensors', join(dir, 'torch', 'bare.safetensors'), '--out', join(dir, 'bare.wasmlp'));
    expect(viaConfig.code).toBe(0);
    const none = await wasmlp('import', '--out', join(dir, 'x.json'));
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/needs an .onnx file or --safetensors/);
    [model, loaded].forEach((m) => m.dispose());
  }, 60_000);

  it('exportPyTorch writes the package into a new folder; bad fit options are refused before writing', async () => {
    const model = new Sequential([new Dense(2, 3), new Tanh(), new Dense(3, 1)], { seed: 2 });
    const target = join(dir, 'api', 'pkg');
    const paths = await exportPyTorch(model, target, { epochs: 3 });
    expect(paths.map((p) => p.slice(target.length + 1)).sort()).toEqual(['config.json', 'model.py', 'train.py', 'weights.safetensors']);
    expect(readFileSync(join(target, 'model.py'), 'utf8')).toContain('nn.Linear(2, 3, bias=True)');
    await expect(exportPyTorch(model, target, { overwrite: false })).rejects.toThrow(/exists/);
    expect(() => model.toPyTorch({ epochs: 0 })).toThrow(ValueError);
    expect(() => model.toPyTorch({ epoch: 3 } as never)).toThrow(ConfigError);
    model.dispose();
  });
});
