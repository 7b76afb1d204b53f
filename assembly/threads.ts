/**
 * The thread pool's side in the core: the job a team runs, and the loop of a worker thread.
 *
 * The main thread (thread 0) posts a job into the team's control block (team.ts) and runs its
 * own share; each worker sits in threadWork, which waits for the next job, runs its share and
 * returns. Every job ends with a barrier, after which thread 0 alone commits the step. Workers
 * never allocate: the arena's state lives in the globals of the instance that owns memory, so
 * a worker's instance gets everything (the control block, its GEMM scratch) as pointers.
 */
import { gemmSetScratch } from "./gemm";
import { stepTeam, commitStep, forwardShare } from "./step";
import {
  barrier, bump, awaitJob, CTL_GEN, CTL_GEN_SLEEPERS, CTL_CMD, CTL_THREADS, CTL_ARGS, MAX_THREADS,
} from "./team";

/** Jobs. */
export const JOB_TRAIN = 1;
export const JOB_GRADIENTS = 2;
export const JOB_FORWARD = 3;
export const JOB_EXIT = 4;

/** The last job generation this instance's thread has seen (instance globals are per thread). */
let seen = 0;

/** Runs thread tid's share of the job in the control block; returns its status bits. */
function runShare(ctl: usize, tid: i32): i32 {
  const cmd = load<i32>(ctl + CTL_CMD);
  const nt = load<i32>(ctl + CTL_THREADS);
  const a = ctl + CTL_ARGS;
  const net = <usize>load<i32>(a), x = <usize>load<i32>(a, 4), y = <usize>load<i32>(a, 8);
  const order = <usize>load<i32>(a, 12), start = load<i32>(a, 16), count = load<i32>(a, 20);
  let bad = 0;
  if (cmd == JOB_FORWARD) forwardShare(net, x, count, tid, nt);
  else bad = stepTeam(net, x, y, order, start, count, cmd == JOB_TRAIN, ctl, tid, nt);
  barrier(ctl, tid, nt);
  return bad;
}

/**
 * Makes this instance a worker: its GEMM packing scratch (GEMM_SCRATCH_BYTES at `scratch`,
 * allocated by the owning instance) and the job generation to wait past.
 */
export function threadInit(ctl: usize, scratch: usize): void {
  gemmSetScratch(scratch);
  if (ASC_FEATURE_THREADS) seen = atomic.load<i32>(ctl + CTL_GEN);
}

/**
 * A worker's loop body: waits for the next job, runs its share when tid is in the job's team
 * and returns the job (JOB_EXIT: stop calling). Called from JS in a loop, so each call runs
 * optimised code once V8 has tiered the function up.
 */
export function threadWork(ctl: usize, tid: i32): i32 {
  if (!ASC_FEATURE_THREADS) unreachable();
  seen = awaitJob(ctl, seen);
  const cmd = load<i32>(ctl + CTL_CMD);
  if (cmd != JOB_EXIT && tid < load<i32>(ctl + CTL_THREADS)) runShare(ctl, tid);
  return cmd;
}

/** Posts a job to the workers of the team at ctl (they start at once), without running a share. */
function post(ctl: usize, cmd: i32, nt: i32, net: usize, x: usize, y: usize, order: usize, start: i32, count: i32): void {
  assert(nt >= 1 && nt <= MAX_THREADS, "team: thread count outside [1, 64]");
  store<i32>(ctl + CTL_CMD, cmd);
  store<i32>(ctl + CTL_THREADS, nt);
  const a = ctl + CTL_ARGS;
  store<i32>(a, <i32>net); store<i32>(a, <i32>x, 4); store<i32>(a, <i32>y, 8);
  store<i32>(a, <i32>order, 12); store<i32>(a, start, 16); store<i32>(a, count, 20);
  // The bump is a sequentially consistent atomic: a worker that sees it sees the stores above.
  bump(ctl, CTL_GEN, CTL_GEN_SLEEPERS);
}

/**
 * A training step (`update` != 0, as netTrainStep) or computeGradients (as
 * netComputeGradients) run by nt threads: the workers of the team at ctl and the caller as
 * thread 0. Returns the loss; bit for bit the result of one thread.
 */
export function teamTrainStep(ctl: usize, nt: i32, net: usize, x: usize, y: usize, order: usize, start: i32, count: i32, update: i32): f64 {
  if (!ASC_FEATURE_THREADS) unreachable();
  post(ctl, update != 0 ? JOB_TRAIN : JOB_GRADIENTS, nt, net, x, y, order, start, count);
  return commitStep(net, update != 0, runShare(ctl, 0));
}

/** A forward pass (as netForward) of `rows` rows at x run by nt threads of the team at ctl. */
export function teamForward(ctl: usize, nt: i32, net: usize, x: usize, rows: i32): void {
  if (!ASC_FEATURE_THREADS) unreachable();
  post(ctl, JOB_FORWARD, nt, net, x, 0, 0, 0, rows);
  runShare(ctl, 0);
}

/** Tells every worker of the team at ctl to leave its loop (threadWork returns JOB_EXIT). */
export function teamExit(ctl: usize): void {
  if (!ASC_FEATURE_THREADS) unreachable();
  post(ctl, JOB_EXIT, 1, 0, 0, 0, 0, 0, 0);
}
