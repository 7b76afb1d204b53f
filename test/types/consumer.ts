// A consumer of the published declarations (dist/index.d.ts), compiled by test/types.test.ts
// without the DOM library and with skipLibCheck off. Each @ts-expect-error must be an error:
// a misspelt name is caught by the compiler, not at run time.
import { mlp, type Sequential, Dense, Activation, SGD, Adam, activationLayer, datasets, plot } from '../../dist/index.js';
import type {
  Chart,
  CompileOptions,
  Dataset,
  History,
  LossSpec,
  MetricName,
  ModelMetadata,
  OptimizerName,
  InitializerName,
  ActivationName,
} from '../../dist/index.js';

const model: Sequential = mlp([2, 8, 1], { activation: 'tanh', outputActivation: 'sigmoid', init: 'he_normal', seed: 1 });
model.compile({ loss: 'bce', optimizer: 'adam', metrics: ['accuracy', 'acc', 'mae', 'mse'] });
model.compile({ loss: 'binary_crossentropy', optimizer: { type: 'sgd', learningRate: 0.1, momentum: 0.9 } });
model.compile({ loss: { name: 'huber', delta: 0.5 }, optimizer: new Adam({ learningRate: 1e-3 }) });
const options: CompileOptions = { loss: 'sparse_categorical_crossentropy', optimizer: new SGD({ lr: 0.1 }) };
const loss: LossSpec = 'softmax_ce';
const metric: MetricName = 'mae';
const optimizer: OptimizerName = 'rmsprop';
const init: InitializerName = 'xavier_uniform';
const act: ActivationName = 'leaky_relu';
new Dense(2, 3, { init: { name: 'normal', std: 0.1 } });
new Activation('relu');
activationLayer('softmax');
const meta: ModelMetadata = { labels: ['a', 'b'], scale: { mean: [0, 1] } };
model.metadata = meta;
const data: Dataset = datasets.moons({ n: 10, seed: 1 });
const chart: Chart = plot.lineChart({ series: [{ name: 'loss', values: [1, 0.5] }] });
const bytes: Uint8Array = model.toONNX({ output: 'probabilities' });
const later = async (): Promise<History> => model.fit(data.x, data.y, { epochs: 1 });

// @ts-expect-error: a misspelt loss
model.compile({ loss: 'binary_crossentropyy' });
// @ts-expect-error: a misspelt optimiser
model.compile({ loss: 'mse', optimizer: 'adamm' });
// @ts-expect-error: a misspelt optimiser type
model.compile({ loss: 'mse', optimizer: { type: 'sgdd', lr: 0.1 } });
// @ts-expect-error: a misspelt metric
model.compile({ loss: 'mse', metrics: ['accuracyy'] });
// @ts-expect-error: a misspelt activation
mlp([2, 3, 1], { activation: 'rellu' });
// @ts-expect-error: a misspelt output activation
mlp([2, 3, 1], { outputActivation: 'sigmod' });
// @ts-expect-error: a misspelt initialiser
new Dense(2, 3, { init: 'glorot_uniformm' });
// @ts-expect-error: a misspelt initialiser in the object form
new Dense(2, 3, { init: { name: 'normall', std: 1 } });
// @ts-expect-error: a misspelt activation layer
activationLayer('tanhh');
// @ts-expect-error: an unknown ONNX output
model.toONNX({ output: 'probs' });

export { options, loss, metric, optimizer, init, act, chart, bytes, later };
