/**
 * Node loaders for MNIST-style directories of IDX files (train / t10k images and labels, raw or
 * gzipped), and Fashion-MNIST from the Debian package `dataset-fashion-mnist`. Node modules are
 * imported on first call, so browser bundles that never call these do not need them.
 */
import { ShapeError, ValueError, describe } from '../errors.js';
import { readIDX, type IDXArray } from './idx.js';
import { checkInteger, readOptions } from './options.js';

/**
 * One part (train or test) of an image dataset. Train on it with
 * `model.fit({ data: part.x, shape: part.shape }, part.y)`.
 */
export interface ImageSplit {
  /** Pixels scaled to [0, 1], row-major: image r is x[r·h·w .. (r+1)·h·w). */
  x: Float32Array;
  /** Class labels, one per image. */
  y: Uint8Array;
  /** Number of images. */
  rows: number;
  /** [rows, height, width]. */
  shape: [number, number, number];
}

/** A train / test pair of image splits. */
export interface ImageDataset {
  train: ImageSplit;
  test: ImageSplit;
}

/** Where the Debian package `dataset-fashion-mnist` installs its files. */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's class names, by label. */
export const FASHION_MNIST_CLASSES: readonly string[] = Object.freeze([
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
]);

/** The four files of an MNIST-style directory, as `<prefix>-<kind>-ubyte` (a `.` also accepted before `idx`). */
const IDX_FILES = {
  trainImages: ['train-images', 'idx3'],
  trainLabels: ['train-labels', 'idx1'],
  testImages: ['t10k-images', 'idx3'],
  testLabels: ['t10k-labels', 'idx1'],
} as const;

/** Options of loadIDXDirectory and fashionMNIST. */
export interface IDXDirectoryOptions {
  /** Keep only the first `limit` images of each split (default: all). */
  limit?: number;
}

/** The file in `names` for `<prefix>[-.]<idx>-ubyte`, preferring the uncompressed one over `.gz`. */
function findFile(names: readonly string[], prefix: string, idx: string): string | undefined {
  const pattern = new RegExp(`^${prefix}[-.]${idx}-ubyte(\\.gz)?$`);
  return names.filter((n) => pattern.test(n)).sort((a, b) => Number(a.endsWith('.gz')) - Number(b.endsWith('.gz')))[0];
}

/** Builds an ImageSplit from parsed images and labels, checking types, ranks and counts. */
function toSplit(images: IDXArray, labels: IDXArray, names: [string, string], limit: number): ImageSplit {
  const [imageFile, labelFile] = names;
  if (images.type !== 'uint8' || images.shape.length !== 3) {
    throw new ShapeError(`loadIDXDirectory: ${imageFile} must hold uint8 images [n, height, width], got ${images.type} [${images.shape.join(', ')}]`);
  }
  if (labels.type !== 'uint8' || labels.shape.length !== 1) {
    throw new ShapeError(`loadIDXDirectory: ${labelFile} must hold uint8 labels [n], got ${labels.type} [${labels.shape.join(', ')}]`);
  }
  const [count, height, width] = images.shape;
  if (labels.shape[0] !== count) {
    throw new ShapeError(`loadIDXDirectory: ${imageFile} has ${count} images but ${labelFile} has ${labels.shape[0]} labels`);
  }
  const rows = Math.min(count, limit);
  const pixels = images.data as Uint8Array;
  const data = new Float32Array(rows * height * width);
  for (let i = 0; i < data.length; i++) data[i] = pixels[i] / 255;
  const shape: [number, number, number] = [rows, height, width];
  return { x: data, y: (labels.data as Uint8Array).slice(0, rows), rows, shape };
}

/**
 * Node only: loads an MNIST-style directory — `train-images-idx3-ubyte`, `train-labels-idx1-ubyte`,
 * `t10k-images-idx3-ubyte`, `t10k-labels-idx1-ubyte`, each raw or `.gz` — into train and test
 * splits with pixels / 255 as Float32Array and labels as Uint8Array. Checks that each file is a
 * valid IDX file of the right type and rank, and that images and labels agree in count (and train
 * and test in image size). `limit` keeps the first rows of each split. Throws ValueError naming
 * the missing or broken file, ShapeError for mismatched files. Reads files, mutates nothing.
 */
export async function loadIDXDirectory(dir: string, options?: IDXDirectoryOptions): Promise<ImageDataset> {
  const o = readOptions('loadIDXDirectory', options, ['limit']);
  const limit = o.limit === undefined ? Infinity : checkInteger('loadIDXDirectory', 'limit', o.limit, 1);
  if (typeof dir !== 'string' || dir === '') throw new ValueError(`loadIDXDirectory: dir must be a non-empty string, got ${describe(dir)}`);
  const { readdir, readFile } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
  const { join } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:path');
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    throw new ValueError(`loadIDXDirectory: cannot read directory ${JSON.stringify(dir)}: ${(error as Error).message}`);
  }
  const files = {} as Record<keyof typeof IDX_FILES, string>;
  for (const [key, [prefix, idx]] of Object.entries(IDX_FILES) as [keyof typeof IDX_FILES, readonly [string, string]][]) {
    const found = findFile(names, prefix, idx);
    if (found === undefined) {
      throw new ValueError(`loadIDXDirectory: ${JSON.stringify(dir)} has no ${prefix}-${idx}-ubyte (or .gz); it holds: ${names.join(', ') || 'nothing'}`);
    }
    files[key] = found;
  }
  const read = async (name: string): Promise<IDXArray> => {
    const path = join(dir, name);
    const bytes = await readFile(path);
    try {
      return await readIDX(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    } catch (error) {
      if (error instanceof ValueError) error.message = `${path}: ${error.message}`;
      throw error;
    }
  };
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    [files.trainImages, files.trainLabels, files.testImages, files.testLabels].map(read),
  );
  const train = toSplit(trainImages, trainLabels, [files.trainImages, files.trainLabels], limit);
  const test = toSplit(testImages, testLabels, [files.testImages, files.testLabels], limit);
  if (train.shape[1] !== test.shape[1] || train.shape[2] !== test.shape[2]) {
    throw new ShapeError(`loadIDXDirectory: train images are ${train.shape[1]}x${train.shape[2]} but test images are ${test.shape[1]}x${test.shape[2]}`);
  }
  return { train, test };
}

/**
 * Node only: Fashion-MNIST (60,000 train and 10,000 test 28x28 images, labels 0-9 named in
 * FASHION_MNIST_CLASSES) from `dir` (default /usr/share/datasets/fashion-mnist, where the Debian
 * package `dataset-fashion-mnist` installs it), via loadIDXDirectory. Throws ValueError naming
 * the package when the directory is absent. Reads files, mutates nothing.
 */
export async function fashionMNIST(options?: IDXDirectoryOptions & { dir?: string }): Promise<ImageDataset> {
  const { dir = FASHION_MNIST_DIR, ...rest } = readOptions('fashionMNIST', options, ['dir', 'limit']) as IDXDirectoryOptions & { dir?: string };
  const { stat } = await import(/* webpackIgnore: true */ /* @vite-ignore */ 'node:fs/promises');
  const exists = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!exists) {
    throw new ValueError(
      `fashionMNIST: no Fashion-MNIST directory at ${JSON.stringify(dir)}; install the Debian package ` +
        'dataset-fashion-mnist (apt-get install dataset-fashion-mnist), or pass { dir } naming a directory with the four IDX files',
    );
  }
  return loadIDXDirectory(dir, rest);
}
