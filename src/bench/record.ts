/**
 * One benchmark result: the JSON line of ../shared/WORKLOADS.md
 * ({"system","workload","threads","seconds","samples_per_s","final_loss","accuracy","notes"}),
 * those eight fields first and in that order, then optional extras (memory, schedule).
 */
export interface BenchRecord {
  system: string;
  workload: string;
  threads: number;
  seconds: number;
  /** epochs · n_samples / seconds (training), or forwarded samples / seconds (inference). */
  samples_per_s: number;
  final_loss: number;
  accuracy: number;
  notes: string;
  /** Samples processed in the timed run. */
  samples?: number;
  /** Size of the WebAssembly memory after the run (wasmlp wasm). */
  wasm_memory_bytes?: number;
  /** Arena bytes in use during training, measured (wasmlp wasm). */
  arena_bytes?: number;
  /** The same, computed from the plan (src/bench/memory.ts). */
  expected_arena_bytes?: number;
  /** Whether the arena stayed the same size over every training step. */
  arena_constant?: boolean;
  /** Process resident set size right after the timed run. */
  rss_bytes?: number;
  /** Process high-water RSS so far (process.resourceUsage().maxRSS). */
  peak_rss_bytes?: number;
  /** Effective GFLOPS of the timed run (training FLOPs or forward FLOPs / seconds). */
  gflops?: number;
  /** Minibatch fits: seconds before training began (fit's input checks, copy into the arena; onTrainBegin). */
  setup_seconds?: number;
  /** Minibatch fits: samples/s from the start of training to the end of fit (the training loop alone). */
  step_samples_per_s?: number;
  /** Minibatch fits: GFLOPS of the training loop alone. */
  step_gflops?: number;
  /** Full-batch workloads: samples/s of the same steps driven straight through the engine (no fit loop). */
  core_samples_per_s?: number;
}

/** The record as one JSON line, the WORKLOADS.md fields first; non-finite numbers become null. */
export function toJSONLine(r: BenchRecord): string {
  const { system, workload, threads, seconds, samples_per_s, final_loss, accuracy, notes, ...extra } = r;
  return JSON.stringify({ system, workload, threads, seconds, samples_per_s, final_loss, accuracy, notes, ...extra });
}

/** Process memory now: current RSS and the high-water mark, in bytes. */
export function processMemory(): { rss_bytes: number; peak_rss_bytes: number } {
  return { rss_bytes: process.memoryUsage.rss(), peak_rss_bytes: process.resourceUsage().maxRSS * 1024 };
}
