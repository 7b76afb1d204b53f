/**
 * The editable controls: fills the form from the state, reads edits back into it, and builds
 * the per-layer editors (neurons −/+, activation) above the network diagram. Every control is
 * a native, labelled form element, so all of it works from the keyboard.
 */
import {
  FEATURES,
  FEATURE_LABELS,
  HIDDEN_ACTIVATIONS,
  MAX_LAYERS,
  MAX_UNITS,
  TASK_LOSSES,
  type FeatureName,
  type LossChoice,
  type PlaygroundState,
  type Task,
} from './state.js';

/** Shorthand for a required element by id. */
export function $<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
}

/** Builds the input-feature checkboxes once. */
export function buildFeatureBoxes(onChange: (features: FeatureName[]) => void): void {
  const box = $('features');
  for (const f of FEATURES) {
    const label = document.createElement('label');
    const input = document.createElement('input');
    input.type = 'checkbox';
    input.id = `feature-${f}`;
    input.value = f;
    input.addEventListener('change', () => {
      const chosen = FEATURES.filter((g) => ($(`feature-${g}`) as HTMLInputElement).checked);
      if (chosen.length === 0) {
        input.checked = true;
        return;
      } // keep at least one input
      onChange(chosen);
    });
    label.append(input, ` ${FEATURE_LABELS[f]}`);
    box.append(label);
  }
}

function setSelect(id: string, value: string): void {
  const el = $<HTMLSelectElement>(id);
  // Values not in the list (from a hand-written URL) get their own option.
  if (![...el.options].some((o) => o.value === value)) el.add(new Option(value, value));
  el.value = value;
}

/** The loss menu's words for each task. */
const LOSS_LABELS: Record<Task, Partial<Record<LossChoice, string>>> = {
  classification: { cross_entropy: 'Cross-entropy (softmax)', mse: 'MSE on softmax' },
  regression: { mse: 'MSE (linear output)', mae: 'MAE (linear output)', huber: 'Huber, δ = 1 (linear output)' },
};

/**
 * Adapts the form to the task: the losses it offers, and the classification-only widgets
 * (accuracy, class count) shown or hidden. Call before showState.
 */
export function showTask(task: Task, dataset: PlaygroundState['dataset']): void {
  const loss = $<HTMLSelectElement>('loss');
  loss.replaceChildren(...TASK_LOSSES[task].map((l) => new Option(LOSS_LABELS[task][l], l)));
  for (const el of document.querySelectorAll<HTMLElement>('.accuracy')) el.hidden = task === 'regression';
  $('classes-label').hidden = !(dataset === 'spirals' || dataset === 'blobs');
  showOutputCaption(task);
}

/** The large view's caption when it shows the model's output. */
export function showOutputCaption(task: Task): void {
  $('view-caption').textContent = task === 'regression' ? 'Output: the predicted value ŷ over the view' : 'Output: decision boundary';
}

/** Puts the state into the form. */
export function showState(s: PlaygroundState): void {
  setSelect('dataset', s.dataset);
  $('csv-label').hidden = s.dataset !== 'csv';
  $<HTMLInputElement>('points').value = String(s.points);
  $('points-out').textContent = String(s.points);
  $<HTMLInputElement>('noise').value = String(s.noise);
  $('noise-out').textContent = s.noise.toFixed(2);
  $<HTMLInputElement>('train-ratio').value = String(s.trainRatio);
  $('train-out').textContent = `${Math.round(s.trainRatio * 100)}%`;
  setSelect('classes', String(s.classes));
  for (const f of FEATURES) ($(`feature-${f}`) as HTMLInputElement).checked = s.features.includes(f);
  setSelect('lr', String(s.lr));
  setSelect('optimizer', s.optimizer);
  setSelect('loss', s.loss);
  $<HTMLInputElement>('batch').value = String(s.batchSize);
  setSelect('l2', String(s.l2));
  $<HTMLInputElement>('seed').value = String(s.seed);
  ($('add-layer') as HTMLButtonElement).disabled = s.layers.length >= MAX_LAYERS;
  ($('remove-layer') as HTMLButtonElement).disabled = s.layers.length === 0;
}

/** Reads the form's simple fields into a copy of the state (features and layers are edited elsewhere). */
export function readForm(s: PlaygroundState): PlaygroundState {
  const n = (id: string) => Number(($(id) as HTMLInputElement).value);
  const intIn = (v: number, lo: number, hi: number, fallback: number) => (Number.isInteger(v) && v >= lo && v <= hi ? v : fallback);
  return {
    ...s,
    dataset: $<HTMLSelectElement>('dataset').value as PlaygroundState['dataset'],
    points: n('points'),
    noise: n('noise'),
    trainRatio: n('train-ratio'),
    classes: n('classes'),
    lr: n('lr'),
    optimizer: $<HTMLSelectElement>('optimizer').value as PlaygroundState['optimizer'],
    loss: $<HTMLSelectElement>('loss').value as PlaygroundState['loss'],
    batchSize: intIn(n('batch'), 1, 2000, s.batchSize),
    l2: n('l2'),
    seed: intIn(n('seed'), 0, 2 ** 32 - 1, s.seed),
  };
}

/**
 * The per-layer editors, one grid column per diagram column (inputs and outputs get a caption),
 * so each sits above its layer.
 */
export function buildLayerControls(s: PlaygroundState, classes: number, task: Task, onChange: (layers: PlaygroundState['layers']) => void): void {
  const row = $('layer-controls');
  row.replaceChildren();
  row.style.gridTemplateColumns = `repeat(${s.layers.length + 2}, 1fr)`;
  const caption = (text: string) => {
    const d = document.createElement('div');
    d.className = 'layer';
    d.textContent = text;
    return d;
  };
  row.append(caption(`${s.features.length} input${s.features.length > 1 ? 's' : ''}`));
  s.layers.forEach((layer, i) => {
    const d = document.createElement('div');
    d.className = 'layer';
    const units = document.createElement('div');
    units.className = 'units';
    const minus = document.createElement('button');
    minus.type = 'button';
    minus.textContent = '−';
    minus.setAttribute('aria-label', `fewer neurons in hidden layer ${i + 1}`);
    minus.disabled = layer.units <= 1;
    const plus = document.createElement('button');
    plus.type = 'button';
    plus.textContent = '+';
    plus.setAttribute('aria-label', `more neurons in hidden layer ${i + 1}`);
    plus.disabled = layer.units >= MAX_UNITS;
    const count = document.createElement('span');
    count.id = `layer-${i}-units`;
    count.textContent = String(layer.units);
    const edit = (units: number) => onChange(s.layers.map((l, j) => (j === i ? { ...l, units } : l)));
    minus.addEventListener('click', () => edit(Math.max(1, layer.units - 1)));
    plus.addEventListener('click', () => edit(Math.min(MAX_UNITS, layer.units + 1)));
    units.append(minus, count, plus);
    const select = document.createElement('select');
    select.id = `layer-${i}-activation`;
    select.setAttribute('aria-label', `activation of hidden layer ${i + 1}`);
    for (const a of HIDDEN_ACTIVATIONS) select.add(new Option(a, a, false, a === layer.activation));
    select.addEventListener('change', () => onChange(s.layers.map((l, j) => (j === i ? { ...l, activation: select.value as typeof l.activation } : l))));
    d.append(units, select);
    row.append(d);
  });
  row.append(caption(task === 'regression' ? '1 output (linear)' : `${classes} outputs (softmax)`));
}
