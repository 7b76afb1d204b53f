/** `wasmlp predict`, `wasmlp evaluate` and `wasmlp summary`: commands on a saved model. */
import { readFile, writeFile } from 'node:fs/promises';
import { parseCSV, splitLabels, toCSV } from '../io/csv.js';
import { Sequential } from '../model/sequential.js';
import { UsageError, EXIT } from './usage-error.js';

/** Reads a model file in any form: the JSON document (`wasmlp train --out`), the binary form or ONNX. */
export async function readModel(file: string): Promise<Sequential> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(file));
  } catch (e) {
    throw new UsageError(`cannot read model ${file}: ${(e as Error).message}`);
  }
  return Sequential.fromBytes(bytes);
}

async function readTable(file: string) {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read input ${file}: ${(e as Error).message}`);
  }
  return parseCSV(text);
}

/** Prints (or writes) predicted classes and outputs for every row of a CSV of features. */
export async function predictCommand(o: { model: string; input: string; output?: string; proba?: boolean }): Promise<number> {
  const model = await readModel(o.model);
  try {
    const table = await readTable(o.input);
    // A CSV with one column more than the model takes carries labels: ignore them here.
    const x = table.rows[0].length === model.inputSize + 1 ? splitLabels(table).x : table.rows;
    const out = o.proba ? model.predictProba(x) : model.predict(x);
    const classes = model.predictClasses(x);
    const header = ['class', ...out[0].map((_, k) => (o.proba ? `p${k}` : `y${k}`))];
    const text = toCSV(out.map((row, i) => [classes[i], ...row]), header);
    if (o.output) await writeFile(o.output, text);
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
    const { x, y } = splitLabels(await readTable(o.input));
    const result = model.evaluate(x, y);
    console.log(o.json ? JSON.stringify({ rows: x.length, ...result }) : `rows ${x.length}  loss ${result.loss.toFixed(6)}  accuracy ${result.accuracy.toFixed(4)}`);
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
