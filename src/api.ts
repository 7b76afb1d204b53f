/**
 * wasmlp's public API: every export of the package's main entry. The entries themselves are
 * index.ts (Node and the default: loads the core on import) and browser.ts (bundlers' browser
 * condition: nothing runs on import, the page calls ready()).
 */
export {
  ready,
  isReady,
  coreVariant,
  threadSupport,
  threadsAvailable,
  disableThreads,
  threadsMemoryBytes,
  type CoreVariant,
  type ReadyOptions,
  type ThreadSupport,
} from './wasm/public.js';
export { AUTO_MIN_FLOPS, AUTO_MAX_THREADS } from './wasm/threads/thread-count.js';
export type { ThreadsOption } from './engine-options.js';
export { Sequential, METRICS, type SequentialOptions, type CompileOptions, type MetricName, type Weights } from './model/sequential.js';
export type { FitArguments, FitOptions, History, BatchLogs, EpochLogs } from './model/fit.js';
export { STREAM_MIN_BYTES, type BatchIterable, type DataSource, type FloatArray, type RowSource, type SourceBatch } from './model/data-source.js';
export type { Callback, CallbackResult, CallbackModel, TrainingContext } from './model/callbacks/callback.js';
export { EarlyStopping, type EarlyStoppingOptions } from './model/callbacks/early-stopping.js';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './model/callbacks/reduce-lr.js';
export { ModelCheckpoint, type ModelCheckpointOptions } from './model/callbacks/checkpoint.js';
export { CSVLogger, JSONLLogger, type LoggerOptions } from './model/callbacks/loggers.js';
export type { Monitor, MonitorMode } from './model/callbacks/monitor.js';
export type { ClassWeight } from './model/sample-weights.js';
export { confusionMatrix } from './model/metrics/classification.js';
/** The metric functions: regression (mae, mse, rmse, r2) on values, classification (precision, recall, f1, topKAccuracy, confusionMatrix) on labels. */
export * as metrics from './model/metrics/public.js';
export {
  Layer,
  Dense,
  Activation,
  Sigmoid,
  Tanh,
  ReLU,
  LeakyReLU,
  Identity,
  Step,
  Softmax,
  Flatten,
  activationLayer,
  type DenseOptions,
  type LayerConfig,
  type LayerStage,
} from './model/layers.js';
export { BatchNorm, type BatchNormOptions } from './model/batchnorm.js';
export { Dropout } from './model/dropout.js';
export {
  Optimizer,
  SGD,
  Adam,
  AdamW,
  RMSprop,
  OPTIMIZERS,
  type SGDOptions,
  type AdamOptions,
  type RMSpropOptions,
  type OptimizerName,
  type OptimizerSpec,
} from './model/optimizers.js';
export { mlp, type MLPOptions } from './model/mlp.js';
export { resolveSchedule, SCHEDULES, type ScheduleConfig, type ScheduleInterval } from './model/schedule.js';
export { scheduleLr } from './model/schedule-lr.js';
export type { LossSpec } from './model/compile-options.js';
export type { ModelMetadata, JSONValue } from './io/metadata.js';
export type { ProbabilityLink } from './model/loss-output.js';
export type { Chart, RenderOptions, Surface } from './plot/index.js';
export type { Dataset, Dataset2D, Scaler, ScalerJSON, Split, SplitOptions, ImageDataset, ImageSplit } from './datasets/index.js';
export { Perceptron, type PerceptronResult } from './classic/perceptron.js';
export { logisticRegression } from './classic/logistic-regression.js';
export { resolveLoss, MAX_PARAMETERS, MAX_LAYERS } from './model/lower.js';
export { MODEL_FORMAT, MODEL_VERSION, READABLE_VERSIONS, type ModelJSON, type TensorJSON, type TrainingJSON } from './io/json-format.js';
export type { SaveOptions } from './model/persist.js';
export { BINARY_MAGIC, BINARY_VERSION } from './io/binary-format.js';
export { sniffFormat, type ModelSource } from './io/model-file.js';
export { parseCSV, type NumericTable } from './io/csv.js';
export { EXPORT_OPSET, EXPORT_IR_VERSION, SUPPORTED_OPS as ONNX_SUPPORTED_OPS } from './io/onnx/constants.js';
export type { ONNXExportOptions } from './io/onnx/export.js';
export type { ONNXImportOptions } from './io/onnx/import.js';
export { loadONNX, onnxLoaded } from './io/onnx/loader.js';
export { preload, partLoaded, PARTS, type PartName } from './model/parts.js';
export { exportPyTorch } from './model/export-pytorch.js';
export type { PyTorchFitOptions, SafetensorsImportOptions, TFJSArtifacts } from './model/interop.js';
export {
  parseSafetensors,
  encodeSafetensors,
  tensorToFloat64,
  MAX_SAFETENSORS_HEADER,
  SAFETENSORS_DTYPES,
  type SafetensorsFile,
  type SafetensorsTensor,
  type SafetensorsDType,
} from './io/safetensors.js';
export type { BackendName } from './engine-options.js';
export type { Input, TensorLike } from './model/input.js';
export type { Labels } from './model/labels.js';
export type { LayerOutput } from './model/layer-outputs.js';
export type { StepTraceReport, LayerTrace, TraceParameter } from './model/trace.js';
export { HISTOGRAM_BINS, SATURATION_SHARE, type Histogram } from './model/trace-stats.js';
export { Random, type RandomState } from './random.js';
export * as datasets from './datasets/index.js';
export * as plot from './plot/index.js';
export { checkFixture, scaledError, FIXTURE_TOLERANCE, type FixtureReport, type FieldResult } from './check-fixture.js';
export { initialize, INITIALIZERS, DEFAULT_KERNEL_INITIALIZER, DEFAULT_BIAS_INITIALIZER, type InitializerSpec, type InitializerName } from './initializers.js';
export {
  ACTIVATIONS,
  LOSSES,
  LOSS_ALIASES,
  DEFAULT_HUBER_DELTA,
  type ActivationName,
  type LossAlias,
  type LossName,
  type OptimizerConfig,
  type Plan,
} from './plan.js';
export { WasmlpError, ShapeError, ValueError, ConfigError, DisposedError, StateError, NonFiniteError, OutOfMemoryError, ThreadError } from './errors.js';

// Types the exported ones refer to, so the API reference (npm run docs) documents them too.
export type { SGDConfig, AdamConfig, RMSpropConfig, Stage, DenseStage, ActivationStage, BatchNormStage, DropoutStage } from './plan.js';
export type { StepSchedule, ExponentialSchedule, CosineSchedule, LinearSchedule, OneCycleSchedule } from './model/schedule.js';
export type { CompileRecord } from './io/model-record.js';
export type { DType } from './engine-options.js';
export type { PendingEpochJSON } from './io/json-format.js';
export type { InitShape } from './initializers.js';
export type { Evaluation } from './model/metrics.js';
export type { TFJSWeightSpec } from './io/tfjs/export.js';
