/**
 * Loss and accuracy curves from a fit() History: one panel for loss (train and validation) and,
 * when accuracy was tracked, a second panel beside it.
 */
import { ValueError } from '../errors.js';
import type { History } from '../model/fit.js';
import { drawTitle } from './axes.js';
import { PALETTE } from './color.js';
import { drawLinePanel, toCurves, type Series } from './line-chart.js';
import type { Chart } from './render.js';

/** Options of trainingCurves. */
export interface TrainingCurvesOptions {
  /** A title over both panels. */
  title?: string;
  /** Log10 loss axis (helps when the loss falls by decades). */
  logLoss?: boolean;
  /** Default 960 with an accuracy panel, else 640. */
  width?: number;
  /** Default 400. */
  height?: number;
}

/**
 * The loss curve (and accuracy, if present) per epoch from model.fit's History, train in blue and
 * validation in orange. Validates eagerly (ValueError on empty or non-finite history).
 */
export function trainingCurves(history: Pick<History, 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'>, opts: TrainingCurvesOptions = {}): Chart {
  if (!history || !Array.isArray(history.loss)) throw new ValueError('trainingCurves: history needs a loss array (what model.fit resolves with)');
  const pick = (train?: number[], val?: number[]): Series[] => [
    ...(train?.length ? [{ name: 'train', values: train, color: PALETTE[0] }] : []),
    ...(val?.length ? [{ name: 'validation', values: val, color: PALETTE[1] }] : []),
  ];
  const loss = toCurves({ series: pick(history.loss, history.valLoss), logY: opts.logLoss }, 'trainingCurves (loss)');
  const accSeries = pick(history.accuracy, history.valAccuracy);
  const acc = accSeries.length ? toCurves({ series: accSeries }, 'trainingCurves (accuracy)') : null;
  return {
    width: opts.width ?? (acc ? 960 : 640),
    height: opts.height ?? 400,
    draw(s) {
      const top = opts.title ? 30 : 0;
      if (opts.title) drawTitle(s, s.width / 2, 22, opts.title);
      const w = acc ? s.width / 2 : s.width,
        h = s.height - top;
      drawLinePanel(s, { x: 0, y: top, w, h }, loss, { title: 'Loss', xLabel: 'epoch', yLabel: 'loss', logY: opts.logLoss });
      if (acc) {
        const hi = Math.max(...acc.flatMap((c) => c.ys)),
          lo = Math.min(...acc.flatMap((c) => c.ys));
        // Accuracy in [0, 1] reads best on a fixed axis that tops out at 1.
        const domain: [number, number] | undefined = lo >= 0 && hi <= 1 ? [Math.max(0, Math.min(lo, 0.5) - 0.05), 1.02] : undefined;
        drawLinePanel(s, { x: w, y: top, w, h }, acc, { title: 'Accuracy', xLabel: 'epoch', yLabel: 'accuracy', yDomain: domain });
      }
    },
  };
}
