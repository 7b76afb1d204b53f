/**
 * Pause in the Worker: the page's shared flag (an Int32Array over a SharedArrayBuffer, 1 for
 * pause), read after every batch and between the pieces of a frame, and the one report per
 * pause to the page, whichever way (flag or message) the pause arrived.
 */
export class Pause {
  private flag: Int32Array | null = null;
  private reported = false;

  /** `report` tells the page training has stopped (called once per pause). */
  constructor(private readonly report: () => void) {}

  /** Takes the page's flag (cross-origin isolated pages only; without it only messages pause). */
  attach(flag: Int32Array): void {
    this.flag = flag;
  }

  /** Whether the page has raised the flag; the first time per pause it reports. Mutates only the report state. */
  raised(): boolean {
    if (this.flag === null || Atomics.load(this.flag, 0) !== 1) return false;
    this.acknowledge();
    return true;
  }

  /** Reports the pause unless this one was reported already. */
  acknowledge(): void {
    if (this.reported) return;
    this.reported = true;
    this.report();
  }

  /** Play started: the next pause gets its own report. */
  rearm(): void {
    this.reported = false;
  }
}
