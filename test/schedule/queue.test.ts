// The step schedule's on-pre delay queue (targets/schedule/spikes.ts): events come out in the order of
// docs/internals.md ("Step details": emission step ascending, then pre element, then CSR order; delay-0 events
// of the step last), whether the ring holds rows (one delay for every synapse) or synapse numbers (mixed delays).
import { describe, expect, it } from "@jest/globals";
import { CurrentCursor, OnPreQueue } from "../../targets/schedule/spikes.js";

// three pre elements: element 0 -> synapses 0, 1; element 1 -> none; element 2 -> synapses 2, 3, 4
const rowStart = Int32Array.from([0, 2, 2, 5]);

/** Runs `spikes[k]` through a queue for `steps` steps; the delivered events per step as "s" strings. */
function run(
  delays: number[],
  spikes: number[][],
  steps: number,
  lo = 0,
  hi = 3,
): { events: string[][]; counts: number[] } {
  const q = new OnPreQueue(rowStart, Int32Array.from(delays));
  const events: string[][] = [],
    counts: number[] = [];
  for (let k = 0; k < steps; k++) {
    const got: string[] = [];
    const sp = Int32Array.from(spikes[k] ?? []);
    counts.push(
      q.deliver(
        k,
        sp,
        sp.length,
        lo,
        hi,
        (e) => {
          for (let s = rowStart[e]!; s < rowStart[e + 1]!; s++) got.push(`${s}`);
        },
        (s) => got.push(`${s}`),
      ),
    );
    events.push(got);
  }
  return { events, counts };
}

describe("OnPreQueue", () => {
  it("uniform delay 2: rows of step k come out at step k + 2, pre elements in spike order", () => {
    const q = new OnPreQueue(rowStart, Int32Array.from([2, 2, 2, 2, 2]));
    expect(q.uniformDelay).toBe(2);
    const r = run([2, 2, 2, 2, 2], [[0, 2], [2]], 5);
    expect(r.events).toEqual([[], [], ["0", "1", "2", "3", "4"], ["2", "3", "4"], []]);
    expect(r.counts).toEqual([0, 0, 5, 3, 0]);
  });

  it("uniform delay 0: this step's spikes at once; elements outside the slice are skipped", () => {
    const r = run([0, 0, 0, 0, 0], [[0, 2], [0]], 2, 1, 3);
    expect(r.events).toEqual([["2", "3", "4"], []]);
  });

  it("mixed delays: due events by emission step, then the step's delay-0 synapses", () => {
    // synapse delays: 0 -> 1, 1 -> 0, 2 -> 2, 3 -> 1, 4 -> 0
    const q = new OnPreQueue(rowStart, Int32Array.from([1, 0, 2, 1, 0]));
    expect(q.uniformDelay).toBe(-1);
    const r = run([1, 0, 2, 1, 0], [[0, 2], [0, 2], []], 4);
    expect(r.events).toEqual([
      ["1", "4"], // step 0: delay-0 synapses of elements 0 and 2
      ["0", "3", "1", "4"], // step 1: step 0's delay-1 events, then step 1's delay 0
      ["2", "0", "3"], // step 2: step 0's delay-2 event, then step 1's delay-1 events
      ["2"], // step 3: step 1's delay-2 event
    ]);
    expect(r.counts).toEqual([2, 4, 3, 1]);
  });
});

describe("CurrentCursor", () => {
  it("value i holds from step floor(times[i]/dt + 0.5) on, none before the first", () => {
    const c = new CurrentCursor([0.00025, 0.001], 0.0005);
    expect([0, 1, 2, 3].map((k) => c.at(k))).toEqual([-1, 0, 1, 1]);
  });
});
