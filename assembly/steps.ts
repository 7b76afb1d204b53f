/**
 * Several training steps in one call: fit's multi-step path (src/model/fit-epoch.ts). For a
 * tiny network a whole step takes well under a microsecond, about what one call from
 * JavaScript and the loop's bookkeeping around it cost, so fit hands the core a run of batches
 * at once. Each step is netTrainStep itself, so the run is bit for bit the same as that many
 * single calls.
 */
import { netTrainStep } from "./step";
import { Net, STATUS_OK } from "./network";

/**
 * Runs `steps` training steps on x, y (rows in `order` when it is not 0, as netTrainStep):
 * step i trains batch b = (first + i) mod ceil(rows / batchSize), rows [b·batchSize,
 * min((b + 1)·batchSize, rows)), so a run may go on into the next pass over the data. When
 * `seeds` is not 0, step i first takes seeds[i] (u32) as its noise seed (Dropout). Step i's
 * loss (before its update) goes to losses[i] (f64). Stops after the first step whose status
 * is not OK (netStatus says why; that step changed nothing). Returns the steps whose status
 * was OK.
 */
export function netTrainSteps(p: usize, x: usize, y: usize, order: usize, rows: i32, batchSize: i32,
  first: i32, steps: i32, seeds: usize, losses: usize): i32 {
  assert(rows >= 1 && batchSize >= 1 && steps >= 0, "netTrainSteps: bad run");
  const net = changetype<Net>(p);
  const batches = (rows + batchSize - 1) / batchSize;
  let b = first % batches;
  for (let i = 0; i < steps; i++) {
    const start = b * batchSize;
    if (seeds != 0) net.noise = load<u32>(seeds + (<usize>i << 2));
    store<f64>(losses + (<usize>i << 3), netTrainStep(p, x, y, order, start, min(batchSize, rows - start)));
    if (net.status != STATUS_OK) return i;
    if (++b == batches) b = 0;
  }
  return steps;
}
