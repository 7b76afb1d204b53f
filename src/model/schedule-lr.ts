/**
 * The learning rate of a compiled schedule (schedule.ts) at a schedule step, in closed form with
 * PyTorch 1.13 semantics: a function of the step alone, so a saved step count resumes a schedule
 * exactly. Apart from schedule.ts so that a page whose fits have no schedule does not ship it
 * (fit loads it with its optional parts, fit-extras.ts).
 */
import type { ScheduleConfig } from './schedule.js';

/** Cosine interpolation from `start` (pct 0) to `end` (pct 1), as OneCycleLR's anneal_strategy 'cos'. */
function cosAnneal(start: number, end: number, pct: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
}

/** The schedule proper (no warm-up) at step t from base lr lr0. */
function mainLr(s: ScheduleConfig, lr0: number, t: number): number {
  switch (s.type) {
    case 'step':
      return lr0 * s.gamma ** Math.floor(t / s.stepSize);
    case 'exponential':
      return lr0 * s.gamma ** t;
    case 'cosine':
      return s.etaMin + ((lr0 - s.etaMin) * (1 + Math.cos((Math.PI * t) / s.tMax))) / 2;
    case 'linear':
      return lr0 * (s.startFactor + ((s.endFactor - s.startFactor) * Math.min(t, s.totalIters)) / s.totalIters);
    case 'onecycle': {
      const initial = s.maxLr / s.divFactor,
        min = initial / s.finalDivFactor;
      const end1 = s.pctStart * s.totalSteps - 1,
        end2 = s.totalSteps - 1;
      // Past totalSteps (where PyTorch raises) the final lr is kept.
      const step = Math.min(t, end2);
      return step <= end1 ? cosAnneal(initial, s.maxLr, step / end1) : cosAnneal(s.maxLr, min, (step - end1) / (end2 - end1));
    }
  }
}

/**
 * The learning rate of schedule step t (epochs or batches completed, per `interval`) for an
 * optimiser whose lr is lr0. With `warmup` W the first W steps ramp linearly up to the
 * schedule's first lr, lr(t) = lr(0)·(t + 1)/(W + 1), and the schedule proper runs from t = W.
 * Pure.
 */
export function scheduleLr(s: ScheduleConfig, lr0: number, t: number): number {
  if (t < s.warmup) return (mainLr(s, lr0, 0) * (t + 1)) / (s.warmup + 1);
  return mainLr(s, lr0, t - s.warmup);
}
