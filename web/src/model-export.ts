/**
 * The model file the playground exports: the model document plus what it takes to use it
 * outside the page (its input features in order, the scaling of the raw points), and the
 * browser download of it.
 */
import type { PlaygroundData } from './data.js';
import type { PlaygroundState } from './state.js';

/** Formulas of the input features, in the raw data's scaled coordinates (x1, x2). */
const FEATURE_FORMULAS: Record<PlaygroundState['features'][number], string> = {
  x1: 'x1',
  x2: 'x2',
  x1sq: 'x1^2',
  x2sq: 'x2^2',
  x1x2: 'x1*x2',
  sinx1: 'sin(x1)',
  sinx2: 'sin(x2)',
};

/**
 * The exported model document `json` with a `playground` field: the input features of `state`,
 * the scaling of `data` and the page's URL (the model document keeps unknown top-level fields
 * out of its own reading, so the file still loads with Sequential.fromJSON). Mutates nothing.
 */
export function withInputs(json: string, state: PlaygroundState, data: PlaygroundData | null): string {
  const doc = JSON.parse(json) as Record<string, unknown>;
  doc.playground = {
    inputs: state.features.map((f) => ({ name: f, formula: FEATURE_FORMULAS[f] })),
    scaling: data ? { ...data.scaling, rule: 'x = (raw - center) * factor, both coordinates, before the features' } : null,
    dataset: state.dataset,
    classes: data?.classes ?? null,
    url: location.href,
  };
  return JSON.stringify(doc);
}

/** Starts the browser's download of `json` as the file `name`. */
export function downloadModel(json: string, name: string): void {
  const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
