/** Writing the CLI's images: the decision boundary of 2-D data and the training curves. */
import type { History } from '../model/fit.js';
import { isTensorLike } from '../model/input.js';
import type { Sequential } from '../model/sequential.js';
import { decisionBoundary, trainingCurves } from '../plot/index.js';
import { encodePlot } from '../plot/render.js';
import { writeOutput } from './files.js';
import type { LoadedData } from './data.js';
import { UsageError } from './usage-error.js';

/** Writes the requested images (paths ending .png or .svg); says where each went. */
export async function writePlots(model: Sequential, data: LoadedData, history: History, files: { boundary?: string; curves?: string }): Promise<void> {
  if (files.boundary) {
    if (data.task === 'regression') throw new UsageError('--plot draws a decision boundary of classes; this is a regression');
    if (isTensorLike(data.x) || data.features !== 2)
      throw new UsageError(`--plot draws a decision boundary of 2-D data; ${data.name} has ${data.features} features`);
    await writeOutput(
      files.boundary,
      encodePlot(files.boundary, decisionBoundary({ model, x: data.x, y: data.y as number[], title: `${data.name}: decision boundary` })),
    );
    console.log(`decision boundary written to ${files.boundary}`);
  }
  if (files.curves && history.loss.length > 0) {
    await writeOutput(files.curves, encodePlot(files.curves, trainingCurves(history, { title: `${data.name}: training` })));
    console.log(`training curves written to ${files.curves}`);
  }
}
