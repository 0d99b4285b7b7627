// A pipelined, time-multiplexed processing unit (a neuron core's update pipeline or a synapse unit). In:
// operations in program order, each with its ready cycle, issue interval and the state word it updates;
// out: issue and finish cycles, stall cycles and the cycle the unit is done.
//
// Model: in-order issue. An operation occupies the first stage for `ii` cycles, then walks the remaining
// depth-1 stages one cycle each, and writes its state word back when it leaves the last stage. An
// operation that updates the same word (key) as one still in the pipeline waits until that one has left
// (read-after-write hazard): a stall. Issued at t, an operation finishes at t + ii + depth - 1, which is
// also the first cycle a dependent operation may issue.

export class PipelineUnit {
  readonly depth: number;
  /** First cycle the issue stage is free. */
  nextIssue = 0;
  /** Cycle the last operation leaves the pipeline. */
  done = 0;
  /** Cycles operations waited on hazards (beyond waiting for the issue stage). */
  stalls = 0;
  issued = 0;
  private keyDone: Float64Array;

  constructor(depth: number, keys: number) {
    this.depth = Math.max(1, Math.floor(depth));
    this.keyDone = new Float64Array(Math.max(0, keys));
  }

  /** Starts a new phase at cycle `start` with an empty pipeline (stall and issue counts carry on). */
  reset(start: number): void {
    this.nextIssue = start;
    this.done = start;
    this.keyDone.fill(0);
  }

  /** Issues one operation; returns its finish cycle. key < 0: no hazard tracking. */
  issue(ready: number, ii: number, key: number): number {
    let t = ready > this.nextIssue ? ready : this.nextIssue;
    if (key >= 0) {
      const k = this.keyDone[key]!;
      if (k > t) {
        this.stalls += k - t;
        t = k;
      }
    }
    this.nextIssue = t + ii;
    const finish = t + ii + this.depth - 1;
    if (key >= 0) this.keyDone[key] = finish;
    if (finish > this.done) this.done = finish;
    this.issued++;
    return finish;
  }

  /** issue(ready, ii, keys[y]) for y = y0 .. y1-1 in turn (keys >= 0): a core's synaptic ops of one packet. */
  issueRun(ready: number, ii: number, keys: Uint8Array | Uint16Array | Int32Array, y0: number, y1: number): void {
    const keyDone = this.keyDone,
      depth = this.depth;
    let next = this.nextIssue,
      done = this.done,
      stalls = this.stalls;
    for (let y = y0; y < y1; y++) {
      const key = keys[y]!;
      let t = ready > next ? ready : next;
      const kd = keyDone[key]!;
      if (kd > t) {
        stalls += kd - t;
        t = kd;
      }
      next = t + ii;
      const finish = t + ii + depth - 1;
      keyDone[key] = finish;
      if (finish > done) done = finish;
    }
    this.nextIssue = next;
    this.done = done;
    this.stalls = stalls;
    this.issued += y1 - y0;
  }
}
