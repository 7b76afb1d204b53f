/** `wasmlp predict`, `wasmlp evaluate` and `wasmlp summary`: commands on a saved model. */
import { parseCSV, splitLabels, toCSV } from '../io/csv.js';
import { MAX_MODEL_FILE_BYTES } from '../io/model-file.js';
import { Sequential } from '../model/sequential.js';
import { checkOutputs, MAX_CSV_FILE_BYTES, readInput, writeOutput } from './files.js';
import { UsageError, EXIT } from './usage-error.js';

/** Reads a model file in any form: the JSON document (`wasmlp train --out`), the binary form or ONNX. */
export async function readModel(file: string): Promise<Sequential> {
  const bytes = await readInput(file, MAX_MODEL_FILE_BYTES, 'model');
  if (bytes.length === 0) throw new UsageError(`model ${file} is empty (0 bytes)`);
  return Sequential.fromBytes(bytes);
}

async function readTable(file: string) {
  const bytes = await readInput(file, MAX_CSV_FILE_BYTES, 'input');
  return parseCSV(new TextDecoder().decode(bytes));
}

/** Prints (or writes) predicted classes and outputs for every row of a CSV of features. */
export async function predictCommand(o: { model: string; input: string; output?: string; proba?: boolean; force?: boolean }): Promise<number> {
  await checkOutputs([o.output], o.force === true);
  const model = await readModel(o.model);
  try {
    const table = await readTable(o.input);
    // A CSV with one column more than the model takes carries labels: ignore them here.
    const x = table.rows[0].length === model.inputSize + 1 ? splitLabels(table).x : table.rows;
    const out = o.proba ? model.predictProba(x) : model.predict(x);
    const classes = model.predictClasses(x);
    const header = ['class', ...out[0].map((_, k) => (o.proba ? `p${k}` : `y${k}`))];
    const text = toCSV(out.map((row, i) => [classes[i], ...row]), header);
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
