/** The machine a run is on: CPU model, cores, memory, Node and V8 versions, load averages. */
import { readFileSync } from 'node:fs';
import os from 'node:os';

/** CPU model from /proc/cpuinfo (os.cpus() elsewhere). */
function cpuModel() {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) return m[1].trim();
  } catch {
    /* not Linux */
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** The load averages (1, 5, 15 min) as a string, from /proc/loadavg where present. */
export function loadAverage() {
  try {
    return readFileSync('/proc/loadavg', 'utf8').trim().split(/\s+/).slice(0, 3).join(' ');
  } catch {
    return os
      .loadavg()
      .map((v) => v.toFixed(2))
      .join(' ');
  }
}

/** A description of this machine and runtime. */
export function describeMachine() {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism?.() ?? os.cpus().length,
    memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.versions.node,
    v8: process.versions.v8,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    loadStart: loadAverage(),
  };
}
