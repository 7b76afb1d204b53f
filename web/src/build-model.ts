/**
 * The playground's model from a NetConfig: hidden Dense + activation pairs, then the output —
 * Dense(classes) for cross-entropy (logits), Dense(classes) + Softmax for MSE on probabilities,
 * or Dense(1), linear, for a regression — compiled with the chosen loss and optimiser.
 */
import { Activation, Adam, Dense, SGD, Sequential, Softmax, activationLayer, threadSupport, type Layer } from 'wasmlp';
import type { NetConfig } from './protocol.js';
import { HIDDEN_ACTIVATIONS, MAX_LAYERS, type HiddenActivation, type HiddenLayer } from './state.js';

/** Huber's delta in the playground (PyTorch's and the library's default). */
export const HUBER_DELTA = 1;

/** A new, compiled model of the config (seeded by config.seed). */
export function buildModel(c: NetConfig): Sequential {
  const layers: Layer[] = [];
  let inputs = c.features.length;
  for (const l of c.layers) {
    layers.push(new Dense(inputs, l.units), activationLayer(l.activation));
    inputs = l.units;
  }
  layers.push(new Dense(inputs, c.classes));
  if (c.task === 'classification' && c.loss === 'mse') layers.push(new Softmax());
  // Threads where the page is cross-origin isolated; 'auto' keeps small networks on one thread,
  // and the results do not depend on the thread count, so URL-state runs stay identical.
  const m = new Sequential(layers, { seed: c.seed, threads: threadSupport().available ? 'auto' : 1 });
  compileModel(m, c);
  return m;
}

/** (Re)compiles m with the config's loss, optimiser, learning rate and L2: the weights stay, the optimiser state restarts. */
export function compileModel(m: Sequential, c: NetConfig): void {
  // L2 as PyTorch's weight_decay on the weights only, as the playground's "regularization".
  const common = { lr: c.lr, weightDecay: c.l2, decayBiases: false };
  const optimizer = c.optimizer === 'adam' ? new Adam(common) : new SGD({ ...common, momentum: c.optimizer === 'momentum' ? 0.9 : 0 });
  if (c.task === 'regression') {
    const loss = c.loss === 'huber' ? { name: 'huber' as const, delta: HUBER_DELTA } : c.loss === 'mae' ? 'mae' : 'mse';
    m.compile({ loss, optimizer });
  } else {
    // No compiled metrics: fit would run a forward pass over the training set at every epoch's end, and the
    // Worker's evaluate (which always gives accuracy) runs one anyway.
    m.compile({ loss: c.loss === 'mse' ? 'mse' : 'softmax_ce', optimizer });
  }
}

/** The hidden layers of an imported model; throws an Error naming the mismatch when it does not fit the page's data. */
export function hiddenLayersOf(m: Sequential, c: NetConfig): HiddenLayer[] {
  const denses = m.layers.filter((l): l is Dense => l instanceof Dense);
  if (denses.length === 0 || denses.length - 1 > MAX_LAYERS) throw new Error(`the model needs 1 to ${MAX_LAYERS + 1} Dense layers`);
  if (denses[0].inputs !== c.features.length) {
    throw new Error(`the model takes ${denses[0].inputs} inputs; the page has ${c.features.length} features selected`);
  }
  const outputs = denses[denses.length - 1].units;
  const wanted = c.task === 'regression' ? 'one target' : `${c.classes} classes`;
  if (outputs !== c.classes) throw new Error(`the model has ${outputs} outputs; the data has ${wanted}`);
  const hidden: HiddenLayer[] = [];
  m.layers.forEach((l, i) => {
    if (!(l instanceof Dense) || l === denses[denses.length - 1]) return;
    const next = m.layers[i + 1];
    const act = next instanceof Activation ? next.activation : 'identity';
    if (!(HIDDEN_ACTIVATIONS as readonly string[]).includes(act)) throw new Error(`activation ${act} is not offered by the playground`);
    hidden.push({ units: l.units, activation: act as HiddenActivation });
  });
  return hidden;
}
