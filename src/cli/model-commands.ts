/** `wasmlp predict`, `wasmlp evaluate` and `wasmlp summary`: commands on a saved model. */
import { parseCSV, parseLabelledCSV, splitLabels } from '../io/csv.js';
import { MAX_MODEL_FILE_BYTES } from '../io/model-file.js';
import { Sequential } from '../model/sequential.js';
import { checkOutputs, MAX_CSV_FILE_BYTES, readInput, writeOutput } from './files.js';
import { csvLine, formatF32 } from './format.js';
import { readCLIMetadata } from './model-metadata.js';
import { UsageError, EXIT } from './usage-error.js';

/** Reads a model file in any form: the JSON document (`wasmlp train --out`), the binary form or ONNX. */
export async function readModel(file: string): Promise<Sequential> {
  const bytes = await readInput(file, MAX_MODEL_FILE_BYTES, 'model');
  if (bytes.length === 0) throw new UsageError(`model ${file} is empty (0 bytes)`);
  return Sequential.fromBytes(bytes);
}

async function readText(file: string): Promise<string> {
  return new TextDecoder().decode(await readInput(file, MAX_CSV_FILE_BYTES, 'input'));
}

/** The first data row's cell count (header and comments skipped), to tell features-only from labelled CSV. */
function columnsOf(text: string): number {
  return parseLabelledCSV(text).x[0].length + 1;
}

/** Prints (or writes) predicted classes and outputs for every row of a CSV of features. */
export async function predictCommand(o: { model: string; input: string; output?: string; proba?: boolean; force?: boolean }): Promise<number> {
  await checkOutputs([o.output], o.force === true);
  const model = await readModel(o.model);
  try {
    const meta = readCLIMetadata(model.metadata, o.model);
    const input = await readText(o.input);
    // Trailing target columns (the training CSV itself) are ignored here; they may be text labels.
    const extra = columnsOf(input) - model.inputSize;
    const labelled = extra === 1 || (meta.task === 'regression' && extra === model.outputSize);
    const raw = labelled ? parseLabelledCSV(input).x.map((r) => r.slice(0, model.inputSize)) : parseCSV(input).rows;
    const x = meta.scaler ? meta.scaler.transform(raw) : raw;
    let lines: string[];
    if (meta.task === 'regression') {
      const out = model.predict(x);
      const names = meta.targetNames ?? out[0].map((_, k) => `y${k}`);
      lines = [csvLine(names), ...out.map((row) => csvLine(row.map(formatF32)))];
    } else {
      const out = o.proba ? model.predictProba(x) : model.predict(x);
      const classes = model.predictClasses(x);
      const name = (k: number) => meta.labels?.[k] ?? String(k);
      // One sigmoid output is p(class 1); with class names, say which class it is.
      const columns = out[0].map((_, k) => (o.proba ? `p${out[0].length === 1 && meta.labels ? `(${name(1)})` : k}` : `y${k}`));
      if (o.proba && meta.labels && out[0].length > 1) columns.splice(0, columns.length, ...meta.labels.map((l) => `p(${l})`));
      lines = [csvLine(['class', ...columns]), ...out.map((row, i) => csvLine([name(classes[i]), ...row.map(formatF32)]))];
    }
    const text = lines.join('\n') + '\n';
    if (o.output) await writeOutput(o.output, text);
    else process.stdout.write(text);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}

/** Prints the loss and accuracy of a model on a labelled CSV (features, then the label). */
export async function evaluateCommand(o: { model: string; input: string; json?: boolean }): Promise<number> {
  const model = await readModel(o.model);
  try {
    if (!model.compiled) throw new UsageError(`${o.model} has no loss (it was saved before compile): cannot evaluate`);
    const meta = readCLIMetadata(model.metadata, o.model);
    const input = await readText(o.input);
    let raw: number[][];
    let y: number[] | number[][];
    if (meta.task === 'regression') {
      const rows = parseCSV(input).rows;
      const k = model.outputSize;
      if (rows[0].length !== model.inputSize + k)
        throw new UsageError(`${o.input} has ${rows[0].length} columns; the model takes ${model.inputSize} features and ${k} target(s)`);
      raw = rows.map((r) => r.slice(0, model.inputSize));
      y = rows.map((r) => r.slice(model.inputSize));
    } else if (meta.labels) {
      const t = parseLabelledCSV(input);
      raw = t.x;
      y = t.labels.map((l, i) => {
        const k = meta.labels!.indexOf(l);
        if (k < 0) throw new UsageError(`${o.input}: row ${i + 1}'s label ${JSON.stringify(l)} is not one of the model's classes (${meta.labels!.join(', ')})`);
        return k;
      });
    } else {
      ({ x: raw, y } = splitLabels(parseCSV(input)));
    }
    const x = meta.scaler ? meta.scaler.transform(raw) : raw;
    const result = model.evaluate(x, y);
    const figures =
      meta.task === 'regression'
        ? `loss ${result.loss.toFixed(6)}  mae ${(result.mae ?? NaN).toFixed(6)}  mse ${(result.mse ?? NaN).toFixed(6)}`
        : `loss ${result.loss.toFixed(6)}  accuracy ${result.accuracy.toFixed(4)}`;
    console.log(o.json ? JSON.stringify({ rows: x.length, ...result }) : `rows ${x.length}  ${figures}`);
    return EXIT.ok;
  } finally {
    model.dispose();
  }
}

/** Prints a model's layer table. */
export async function summaryCommand(file: string): Promise<number> {
  const model = await readModel(file);
  console.log(model.summary());
  model.dispose();
  return EXIT.ok;
}
