/**
 * Datasets: seeded toy generators (moons, xor, linear, flower, circles, spirals, blobs), dataset
 * fixtures, preprocessing (one-hot, train/test split, scalers, batches), the IDX reader, and Node
 * loaders for MNIST-style directories, Fashion-MNIST and the `mnist` package's digits.
 */
export { moons, type Dataset2D } from './moons.js';
export type { Dataset } from './options.js';
export { xor, XOR_CORNERS, type XorOptions } from './xor.js';
export { linear, linearLabel, SEED002_PERCEPTRON, type LinearOptions } from './linear.js';
export { flower, type FlowerOptions } from './flower.js';
export { circles, type CirclesOptions } from './circles.js';
export { spirals, type SpiralsOptions } from './spirals.js';
export { blobs, type BlobsOptions } from './blobs.js';
export { fromFixture, loadDataset, type FixtureDataset } from './fixture.js';
export { oneHot } from './one-hot.js';
export { trainTestSplit, type SplitOptions, type Split } from './split.js';
export { standardScaler, minMaxScaler, scalerFromJSON, type Scaler, type ScalerJSON, type StandardScalerJSON, type MinMaxScalerJSON } from './scalers.js';
export { batches, type BatchOptions, type Batch, type FlatSamples, type TypedLabels } from './batches.js';
export {
  parseIDX,
  readIDX,
  encodeIDX,
  gunzip,
  isGzip,
  IDX_TYPES,
  MAX_IDX_ELEMENTS,
  type IDXArray,
  type IDXType,
  type IDXData,
  type GunzipOptions,
} from './idx.js';
export {
  loadIDXDirectory,
  fashionMNIST,
  FASHION_MNIST_DIR,
  FASHION_MNIST_CLASSES,
  type ImageSplit,
  type ImageDataset,
  type IDXDirectoryOptions,
} from './mnist.js';
export { digits, DIGITS_TOTAL, type DigitsOptions } from './digits.js';
