/**
 * The teaching panels on the page, filled from the Worker's messages: a hovered neuron's
 * numbers, a clicked link's weight (with its editor) and the step panel's table, in the
 * tutorials' notation (z, a, δ, dW, db, ΔW). They only write the DOM.
 */
import { $ } from './controls.js';
import type { EdgeInfo, NeuronInfo, StepReport, Values } from './protocol.js';
import { MAX_EDIT_WEIGHT } from './state.js';

const SUPERSCRIPT = '⁰¹²³⁴⁵⁶⁷⁸⁹';
/** (l) as superscript digits: ⁽¹²⁾. */
export function sup(l: number): string {
  return `⁽${String(l)
    .split('')
    .map((d) => SUPERSCRIPT[Number(d)])
    .join('')}⁾`;
}

/** A number in four significant digits (exponent form when tiny or huge). */
export function num(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e4 ? v.toExponential(2) : v.toPrecision(4);
}

/** Values as `[v1, v2, …] ‖·‖ = n` (all of them when few). */
export function vec(v: Values): string {
  const head = v.first.map(num).join(', ');
  return v.size <= v.first.length ? `[${head}]` : `[${head}, … ${v.size}] ‖·‖ = ${num(v.norm)}`;
}

function columnName(column: number, columns: number): string {
  return column === 0 ? 'input' : column === columns - 1 ? 'output' : `hidden layer ${column}`;
}

function row(label: string, value: string): HTMLElement {
  const d = document.createElement('div');
  const dt = document.createElement('dt');
  dt.textContent = label;
  const dd = document.createElement('dd');
  dd.textContent = value;
  d.append(dt, dd);
  return d;
}

/** Fills the neuron panel (and shows it); `columns` is the diagram's column count. */
export function showNeuron(info: NeuronInfo, columns: number, featureLabel: (unit: number) => string): void {
  const p = $('neuron-panel');
  const { column, unit } = info.ref;
  const l = column;
  const title = document.createElement('div');
  title.className = 'title';
  title.textContent = column === 0 ? `input ${featureLabel(unit)}` : `${columnName(column, columns)}, unit ${unit + 1} (${info.activation})`;
  const dl = document.createElement('dl');
  if (column === 0) {
    dl.append(row(`a${sup(0)} = x`, num(info.a)));
  } else {
    dl.append(
      row(`z${sup(l)} = a${sup(l - 1)}·w + b`, num(info.z)),
      row(`a${sup(l)} = f(z)`, num(info.a)),
      row(`δ${sup(l)} = ∂L/∂z`, num(info.delta)),
      row('mean |δ| over the rows', num(info.meanAbsDelta)),
      row(`b${sup(l)}`, num(info.bias)),
    );
    const w = info.incoming!;
    dl.append(row(`incoming w (${w.size})`, `‖w‖ = ${num(w.norm)}, largest |w| = ${num(w.maxAbs)} from unit ${w.largest + 1}`));
  }
  const src = document.createElement('div');
  src.className = 'legend';
  src.textContent = `${info.source}; heatmap scale ±${num(info.scale)}`;
  p.replaceChildren(title, dl, src);
  p.hidden = false;
}

/** Fills the link editor with the link's numbers (the input only when it is not being typed in). */
export function showEdge(info: EdgeInfo, keepInput: boolean): void {
  const { layer, i, j } = info.ref;
  const from = layer === 0 ? 'the inputs' : `hidden layer ${layer}`;
  $('edge-title').textContent = `W${sup(layer + 1)}[${i + 1}, ${j + 1}]: from unit ${i + 1} of ${from} to unit ${j + 1} of the next layer`;
  const input = $<HTMLInputElement>('edge-weight');
  if (!keepInput) input.value = String(info.weight);
  $('edge-grad').textContent = num(info.gradient);
  $('edge-update').textContent = num(info.update);
  $('edge-source').textContent = `dW, ΔW: ${info.source}. Enter applies the weight to the live model.`;
  $('edge-panel').hidden = false;
}

/** The edited weight typed in, or a message saying why it is refused. */
export function readWeight(text: string): { value: number } | { error: string } {
  const t = text.trim();
  const v = t === '' ? NaN : Number(t);
  if (!Number.isFinite(v)) return { error: `not a number: "${t}"` };
  if (Math.abs(v) > MAX_EDIT_WEIGHT) return { error: `out of range: a weight must be within ±${MAX_EDIT_WEIGHT}` };
  return { value: v };
}

/** Marks the weight input refused (red, with the reason) or accepted. */
export function markWeight(error: string | null): void {
  const input = $<HTMLInputElement>('edge-weight');
  input.setAttribute('aria-invalid', String(error !== null));
  input.classList.toggle('invalid', error !== null);
  $('edge-error').textContent = error ?? '';
}

/** Fills the step panel's table: one row per layer. */
export function showStep(r: StepReport): void {
  $('step-summary').textContent =
    `step ${r.step} (epoch ${r.epoch}): a batch of ${r.rows} rows, row 1 = training row ${r.firstRow + 1}; loss L = ${num(r.loss)} before it; η = ${num(r.lr)}`;
  const table = $<HTMLTableElement>('step-table');
  const head = [
    'l',
    'layer',
    'W⁽ˡ⁾',
    'z⁽ˡ⁾ (row 1)',
    'a⁽ˡ⁾ = f(z⁽ˡ⁾)',
    'δ⁽ˡ⁾ = ∂L/∂z⁽ˡ⁾',
    'dW⁽ˡ⁾ = a⁽ˡ⁻¹⁾ᵀ·δ⁽ˡ⁾',
    'db⁽ˡ⁾ = Σ δ⁽ˡ⁾',
    'ΔW⁽ˡ⁾',
    'Δb⁽ˡ⁾',
    '‖ΔW⁽ˡ⁾‖/‖W⁽ˡ⁾‖',
  ];
  const tr = (cells: string[], th = false) => {
    const e = document.createElement('tr');
    for (const c of cells) {
      const td = document.createElement(th ? 'th' : 'td');
      td.textContent = c;
      e.append(td);
    }
    return e;
  };
  const rows = r.layers.map((l, k) =>
    tr([
      String(k + 1),
      `${l.name}, ${l.activation}`,
      `${l.shape[0]}×${l.shape[1]}`,
      vec(l.z),
      vec(l.a),
      vec(l.delta),
      `‖·‖ = ${num(l.dW.norm)}, max ${num(l.dW.maxAbs)}`,
      vec(l.db),
      `‖·‖ = ${num(l.dWUpdate.norm)}`,
      vec(l.dbUpdate),
      num(l.updateRatio),
    ]),
  );
  table.replaceChildren(tr(head, true), ...rows);
  $('step-panel').hidden = false;
}
