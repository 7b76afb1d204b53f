/**
 * The `wasmlp` command line (commander). Exit codes: 0 done, 1 a check failed or training
 * diverged, 2 bad usage or unreadable file, 130 interrupted (the model and plots are still written).
 */
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { WasmlpError } from '../errors.js';
import { benchCommand, BENCH_WORKLOADS } from './bench-command.js';
import { checkFixtureCommand, TOLERANCE_HELP } from './check-fixture.js';
import { DATA_NAMES } from './data.js';
import { demoCommand } from './demo.js';
import { exampleCommand, EXAMPLES } from './example.js';
import { evaluateCommand, predictCommand, summaryCommand } from './model-commands.js';
import { exportFolders, importSafetensors } from './interop-commands.js';
import { exportCommand, importCommand } from './onnx-commands.js';
import { playgroundCommand } from './playground.js';
import { MIN_SPLIT_ROWS, trainCommand } from './train.js';
import { EXIT, UsageError } from './usage-error.js';

/** The package's version, read from its package.json (two folders above dist/cli/ and src/cli/). */
function packageVersion(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

const EXAMPLES_HELP = `
Examples:
  $ wasmlp demo                                        train the digits MLP, print test accuracy
  $ wasmlp train --data moons --layers 2,16,1 --optimizer adam --lr 0.01 --epochs 200 --out moons.json --plot moons.png
  $ wasmlp train --data csv:iris.csv --scale standard --optimizer adam --lr 0.01 --epochs 300 --out iris.json
  $ wasmlp train --data csv:houses.csv --task regression --scale standard --optimizer adam --out houses.json
  $ wasmlp predict --model iris.json --input new.csv --proba
  $ wasmlp export --model iris.json --onnx iris.onnx --output probabilities`;

const TRAIN_HELP = `
CSV data (--data csv:FILE): numeric feature columns, then the target column(s); a header line is
optional. Text labels (setosa, versicolor, ...) are classes, kept in the model so predict prints
them. Integer labels are classes; non-integer targets mean regression (or say --task), which gets
a linear output, MSE loss and reports MAE / MSE. --scale is fitted on the training rows and stored
in the model; predict and evaluate apply it. Fewer than ${MIN_SPLIT_ROWS} rows are not split.

Examples:
  $ wasmlp train --data xor --layers 2,4,1 --activation tanh --optimizer adam --lr 0.05 --epochs 500
  $ wasmlp train --data csv:iris.csv --scale standard --optimizer adam --lr 0.01 --epochs 300 --out iris.json
  $ wasmlp train --data csv:prices.csv --targets 2 --scale minmax --optimizer adam --epochs 500 --out prices.json
  $ wasmlp train --data moons --epochs 50 --batch 64 --threads auto --weight-decay 1e-4 --out m.json --curves c.png`;

function program(setCode: (code: number) => void): Command {
  // Commander passes its parsed arguments and option bag untyped; each command declares what it reads.
  const run =
    <A extends unknown[]>(fn: (...a: A) => Promise<number>) =>
    async (...args: A) =>
      setCode(await fn(...args));
  const cli = new Command('wasmlp')
    .description('Train and run multilayer perceptrons on a WebAssembly SIMD core.')
    .version(packageVersion(), '-V, --version', 'print the version')
    .addHelpText('after', EXAMPLES_HELP)
    .exitOverride()
    .showHelpAfterError()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  cli
    .command('demo')
    .description('train the digits MLP (784-64-10) on the real MNIST digits of the optional mnist package, print test accuracy, write plots')
    .option('--epochs <n>', 'epochs', '20')
    .option('--out-dir <dir>', 'where the plots go', 'wasmlp-demo')
    .option('--backend <name>', 'wasm or reference', 'wasm')
    .option('--quiet', 'no progress bar')
    .action(run(demoCommand));

  cli
    .command('train')
    .description('train an MLP on a dataset and write the model and plots')
    .requiredOption('--data <name>', `dataset: ${DATA_NAMES}`)
    .option('--layers <sizes>', 'layer widths, e.g. 2,64,32,1 (default: features,16,outputs)')
    .option(
      '--activation <names>',
      'activation of the hidden layers, one name or one per layer: identity, sigmoid, tanh, relu, leaky_relu, step, softmax',
      'relu',
    )
    .option('--output-activation <name>', 'activation after the last layer (default: suits the loss; "none" for linear)')
    .option(
      '--loss <name>',
      'sse, mse, bce, bce_logits, softmax_ce, categorical_ce, sigmoid_mse, mae, huber (default: mse for regression, bce for 1 output, softmax_ce otherwise)',
    )
    .option('--task <task>', 'classification, regression or auto (auto: non-integer CSV targets mean regression)', 'auto')
    .option('--targets <k>', 'number of trailing target columns in a CSV (more than 1: regression)', '1')
    .option('--scale <how>', 'feature scaling fitted on the training rows and kept in the model: standard, minmax or none', 'none')
    .option('--optimizer <name>', 'sgd, adam, adamw, rmsprop', 'sgd')
    .option('--lr <rate>', "learning rate (default: the optimiser's, 0.01 for sgd and rmsprop, 0.001 for adam and adamw)")
    .option('--momentum <m>', 'SGD / RMSprop momentum (default 0)')
    .option('--weight-decay <wd>', "L2 weight decay (AdamW: decoupled) (default: the optimiser's, 0.01 for adamw, else 0)")
    .option('--epochs <n>', 'epochs', '100')
    .option('--batch <n>', 'batch size (larger than the data: full batch)', '32')
    .option('--threads <n>', "training threads on the wasm backend: a count or 'auto' (results do not depend on it)", '1')
    .option('--seed <n>', 'seed of data, weights and shuffling', '1')
    .option('--backend <name>', 'wasm or reference', 'wasm')
    .option('--init <name>', 'weight initialiser (default glorot_uniform)')
    .option('--n <n>', 'points for generated data')
    .option('--noise <sd>', 'noise for generated data')
    .option('--classes <k>', 'classes (spirals arms, blobs)')
    .option('--test-size <f>', 'fraction held out for testing (generated and CSV data)', '0.2')
    .option('--out <file>', 'write the trained model (JSON)')
    .option('--plot <file>', 'decision boundary image (.png or .svg; 2-D data)')
    .option('--curves <file>', 'loss and accuracy curves image (.png or .svg)')
    .option('--quiet', 'no progress output')
    .option('--resume <file>', 'continue a model written by --out (its layers, loss, optimiser and training state; give the same --data, --n, --seed)')
    .option('--force', 'replace output files that exist')
    .addHelpText('after', TRAIN_HELP)
    .action(run(trainCommand));

  cli
    .command('predict')
    .description('predict every row of a CSV of features with a saved model')
    .requiredOption('--model <file>', 'model file: JSON, binary (.wasmlp) or ONNX')
    .requiredOption('--input <file>', 'CSV of features (a trailing label column is ignored)')
    .option('--output <file>', 'write CSV here instead of stdout')
    .option('--proba', 'print probabilities instead of raw outputs (sigmoid / softmax of logits)')
    .option('--force', 'replace --output if it exists')
    .addHelpText(
      'after',
      `
Prints one line per row: the class (the training labels' names when they were text) and the
outputs at float32 precision; a regression model prints its target values. The model's stored
feature scaling is applied first.

Example:
  $ wasmlp predict --model iris.json --input new.csv --proba --output predictions.csv`,
    )
    .action(run(predictCommand));

  cli
    .command('evaluate')
    .description('loss and accuracy of a saved model on a labelled CSV (features, then label)')
    .requiredOption('--model <file>', 'model file (JSON, binary or ONNX)')
    .requiredOption('--input <file>', 'labelled CSV')
    .option('--json', 'one JSON line')
    .action(run(evaluateCommand));

  cli
    .command('summary')
    .description("print a saved model's layers, shapes and parameter counts")
    .requiredOption('--model <file>', 'model file (JSON, binary or ONNX)')
    .action(run((o: { model: string }) => summaryCommand(o.model)));

  cli
    .command('export')
    .description('write a saved model (JSON, binary or ONNX) as ONNX (opset 13), a PyTorch package or a TensorFlow.js model')
    .requiredOption('--model <file>', 'model file')
    .option('--onnx <file>', 'the ONNX file to write')
    .option('--pytorch <dir>', 'write model.py, train.py, config.json, weights.safetensors here')
    .option('--tfjs <dir>', 'write model.json and weights.bin (TensorFlow.js layers format) here')
    .option('--epochs <n>', 'epochs train.py runs (default 1)')
    .option('--batch <n>', 'batch size train.py uses (default 32)')
    .option('--no-shuffle', 'train.py keeps the row order')
    .option(
      '--output <what>',
      "with --onnx, for a model trained on logits (softmax_ce, bce_logits): 'logits' (default) or 'probabilities' (appends Softmax / Sigmoid); recorded in the file's metadata",
    )
    .option('--force', 'replace output files that exist')
    .action(
      run(async (o: Parameters<typeof exportFolders>[0] & { onnx?: string; output?: string }) => {
        if (o.onnx === undefined && o.pytorch === undefined && o.tfjs === undefined) throw new UsageError('export needs --onnx, --pytorch or --tfjs');
        if (o.onnx !== undefined) {
          const code = await exportCommand({ ...o, onnx: o.onnx });
          if (code !== EXIT.ok) return code;
        }
        return o.pytorch !== undefined || o.tfjs !== undefined ? exportFolders(o) : EXIT.ok;
      }),
    );

  cli
    .command('import')
    .description('read an ONNX MLP or PyTorch safetensors weights and write it as a wasmlp model')
    .argument('[file]', 'the .onnx file')
    .option('--safetensors <file>', 'weights with PyTorch names (from export --pytorch or its train.py)')
    .option('--config <file>', "the PyTorch package's config.json (default: beside the safetensors file, when its metadata lacks the layers)")
    .requiredOption('--out <file>', 'model to write: JSON when it ends in .json, else the binary form')
    .option('--backend <name>', 'wasm or reference', 'wasm')
    .option('--force', 'replace --out if it exists')
    .action(
      run((file: string | undefined, o: Parameters<typeof importSafetensors>[1] & { safetensors?: string }) => {
        if ((file === undefined) === (o.safetensors === undefined)) throw new UsageError('import needs an .onnx file or --safetensors FILE (one of them)');
        return o.safetensors !== undefined ? importSafetensors(o.safetensors, o) : importCommand(file!, o);
      }),
    );

  cli
    .command('example')
    .description(`run one of the seed tutorials' examples: ${Object.keys(EXAMPLES).join(', ')}`)
    .argument('<id>', 'example number')
    .option('--quick', 'a shorter schedule')
    .option('--out-dir <dir>', 'where the plots go', 'wasmlp-examples')
    .action(run(exampleCommand));

  cli
    .command('bench')
    .description('run one standard benchmark workload with wasmlp (npm run bench compares the peers)')
    .requiredOption('--workload <name>', `workload: ${BENCH_WORKLOADS}`)
    .option('--threads <n>', 'training threads (needs a build with multi-threaded training)', '1')
    .option('--backend <name>', 'wasm or reference', 'wasm')
    .option('--quick', 'the short schedule')
    .option('--max-seconds <s>', 'cut the schedule to about this long (slow backends)')
    .option('--json', 'one JSON line (WORKLOADS.md format)')
    .action(run(benchCommand));

  cli
    .command('check-fixture')
    .description('replay PyTorch golden runs (shared fixtures format) and print the worst scaled error per field')
    .argument('<files...>', 'fixture JSON files')
    .option('--backend <name>', 'wasm or reference (default: both)')
    .option('--tolerance <t>', `pass bound (${TOLERANCE_HELP})`)
    .option('--json', 'one JSON report per line')
    .action(run(checkFixtureCommand));
  cli
    .command('playground')
    .description('serve the built playground page on 127.0.0.1 (cross-origin isolated) and print its URL')
    .option('--port <n>', 'port (0: any free one)', '8080')
    .option('--root <dir>', "serve this built page instead of the package's")
    .action(run(playgroundCommand));
  return cli;
}

/** Runs the CLI with `argv` (without node and the script); resolves to the exit code. Never throws. */
export async function main(argv: string[]): Promise<number> {
  let code: number = EXIT.ok;
  const cli = program((c) => {
    code = c;
  });
  if (argv.length === 0) {
    cli.outputHelp();
    return EXIT.usage;
  }
  try {
    await cli.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    if (e instanceof UsageError) {
      process.stderr.write(`wasmlp: ${e.message}\n`);
      return EXIT.usage;
    }
    if (e instanceof WasmlpError) {
      process.stderr.write(`wasmlp: ${e.name}: ${e.message}\n`);
      return e.name === 'NonFiniteError' ? EXIT.failed : EXIT.usage;
    }
    process.stderr.write(`wasmlp: ${(e as Error).stack ?? e}\n`);
    return EXIT.failed;
  }
}
