// Emulator components against hand-computed cycle counts, and the event-driven mesh and pipeline against
// naive tick-by-tick models on random small cases.
import { describe, expect, it } from "@jest/globals";
import { cyclesOf, EventQueue } from "../../targets/emulator/clock.js";
import { Mesh, type Packet } from "../../targets/emulator/mesh.js";
import { PipelineUnit } from "../../targets/emulator/pipeline-unit.js";
import { busiestAdc, tileRead } from "../../targets/emulator/crossbar-read.js";
import { C_NEURON, C_SYNAPTIC, COMPONENTS, EnergyLedger } from "../../targets/emulator/energy.js";
import { tableBarrierSeconds, treeBarrier } from "../../targets/emulator/barrier.js";
import { tickMesh, tickPipeline } from "./tick-models.js";

/** A small deterministic generator for the random cases. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

describe("clock and event queue", () => {
  it("rounds durations up to whole cycles, exact multiples exactly", () => {
    expect(cyclesOf(3.5e-9, 1e9)).toBe(4);
    expect(cyclesOf(4.1e-9, 1e10)).toBe(41);
    expect(cyclesOf(23.6e-12 * 0, 1e9)).toBe(0);
    expect(cyclesOf(1e-8, 1e9)).toBe(10);
  });
  it("pops by (time, seq)", () => {
    const q = new EventQueue<string>();
    q.push(5, "c", 2);
    q.push(3, "a", 9);
    q.push(5, "b", 1);
    q.push(1, "z", 0);
    const out: string[] = [];
    for (let e = q.pop(); e; e = q.pop()) out.push(e.item);
    expect(out).toEqual(["z", "a", "b", "c"]);
  });
});

describe("mesh router", () => {
  const timing = { hopCyclesX: 41, hopCyclesY: 65, linkCycles: 2 };
  it("delivers one packet after injection + XY hops + ejection", () => {
    const m = new Mesh(4, 4, timing);
    // (0,0) -> (2,1): inject 2, two east hops 2*41, one south hop 65, eject 2
    const r = m.deliver([{ src: 0, dst: 1 * 4 + 2, inject: 10 }]);
    expect(r.arrive[0]).toBe(10 + 2 + 2 * 41 + 65 + 2);
    expect([r.hopsX, r.hopsY, r.waitCycles]).toEqual([2, 1, 0]);
  });
  it("cycles are whole numbers: a fractional timing or injection cycle is refused, not rounded", () => {
    expect(() => new Mesh(2, 1, { ...timing, hopCyclesX: 4.5 })).toThrow(/hopCyclesX = 4.5: expected whole cycles/);
    expect(() => new Mesh(2, 1, timing).deliver([{ src: 0, dst: 1, inject: 0.5 }])).toThrow(
      /injection cycle 0.5 is not whole/,
    );
  });
  it("a spike within a tile crosses only the ejection port, shared with packets arriving from other tiles", () => {
    const m = new Mesh(2, 1, timing);
    // packet 0 within tile 1: ejection at 0 -> 2; packet 1 from tile 0 reaches router 1 at 2 + 41 = 43: no wait
    const r = m.deliver([
      { src: 1, dst: 1, inject: 0 },
      { src: 0, dst: 1, inject: 0 },
      { src: 1, dst: 1, inject: 0 },
    ]);
    // packet 2 (also local) waits for packet 0's ejection: granted at 2, delivered at 4
    expect(Array.from(r.arrive)).toEqual([2, 45, 4]);
    expect([r.local, r.hopsX, r.waitCycles]).toEqual([2, 1, 2]);
  });
  it("two tiles sending to one router in the same step: the second waits one port time", () => {
    const m = new Mesh(3, 1, timing);
    // tiles 0 and 2 both send to tile 1 at cycle 0: each arrives at router 1 at 2 + 41 = 43; the ejection
    // port takes packet 0 at 43 (delivered 45), then packet 1 at 45 (delivered 47): 2 extra cycles
    const alone = m.deliver([{ src: 0, dst: 1, inject: 0 }]).arrive[0]!;
    const both = m.deliver([
      { src: 0, dst: 1, inject: 0 },
      { src: 2, dst: 1, inject: 0 },
    ]);
    expect(alone).toBe(45);
    expect(Array.from(both.arrive)).toEqual([45, 47]);
    expect(both.waitCycles).toBe(2);
  });
  it("a shared link serializes packets from one source", () => {
    const m = new Mesh(2, 1, { hopCyclesX: 5, hopCyclesY: 5, linkCycles: 3 });
    const r = m.deliver([
      { src: 0, dst: 1, inject: 0 },
      { src: 0, dst: 1, inject: 0 },
      { src: 0, dst: 1, inject: 0 },
    ]);
    // injection port: grants 0, 3, 6 -> at router 0 at 3, 6, 9; east link grants 3, 6, 9 -> router 1 at 8, 11, 14; eject 11, 14, 17
    expect(Array.from(r.arrive)).toEqual([11, 14, 17]);
  });
  it("equals the tick-by-tick model on random traffic", () => {
    const rnd = lcg(7);
    for (let trial = 0; trial < 60; trial++) {
      const w = 1 + Math.floor(rnd() * 4),
        h = 1 + Math.floor(rnd() * 3);
      const t = {
        hopCyclesX: 1 + Math.floor(rnd() * 5),
        hopCyclesY: 1 + Math.floor(rnd() * 5),
        linkCycles: 1 + Math.floor(rnd() * 3),
      };
      const n = 1 + Math.floor(rnd() * 25);
      const packets: Packet[] = [];
      for (let i = 0; i < n; i++)
        packets.push({
          src: Math.floor(rnd() * w * h),
          dst: Math.floor(rnd() * w * h),
          inject: Math.floor(rnd() * 12),
        });
      const fast = Array.from(new Mesh(w, h, t).deliver(packets).arrive);
      expect(fast).toEqual(tickMesh(w, h, t, packets));
    }
  });
});

describe("pipeline unit", () => {
  it("fills, issues one op per interval and drains (no hazards)", () => {
    const u = new PipelineUnit(4, 0);
    // 5 ops, ii 1, depth 4: last issues at 4, finishes at 4 + 1 + 3 = 8 = n + depth - 1
    for (let i = 0; i < 5; i++) u.issue(0, 1, -1);
    expect(u.done).toBe(8);
  });
  it("stalls a dependent op until its predecessor leaves", () => {
    const u = new PipelineUnit(3, 4);
    const f1 = u.issue(0, 1, 2); // issue 0, finish 3
    const f2 = u.issue(0, 1, 2); // hazard: issue 3, finish 6
    const f3 = u.issue(0, 1, 1); // issue 4, finish 7
    expect([f1, f2, f3, u.stalls]).toEqual([3, 6, 7, 2]);
  });
  it("equals the structural tick model on random op streams", () => {
    const rnd = lcg(11);
    for (let trial = 0; trial < 80; trial++) {
      const depth = 1 + Math.floor(rnd() * 5),
        keys = 1 + Math.floor(rnd() * 4);
      const ops: { ready: number; ii: number; key: number }[] = [];
      let ready = 0;
      for (let i = 0; i < 1 + Math.floor(rnd() * 20); i++) {
        ready += Math.floor(rnd() * 3);
        ops.push({ ready, ii: 1 + Math.floor(rnd() * 3), key: rnd() < 0.2 ? -1 : Math.floor(rnd() * keys) });
      }
      const u = new PipelineUnit(depth, keys);
      const finish = ops.map((o) => u.issue(o.ready, o.ii, o.key));
      const slow = tickPipeline(depth, ops);
      expect(finish).toEqual(slow.finish);
      expect(u.done).toBe(slow.done);
    }
  });
});

describe("crossbar read with shared ADCs", () => {
  it("one conversion per column pair, serialized on the busiest ADC", () => {
    // 128 columns, 8 per ADC, 20 used columns 0..19 (10 pairs, converted once each: pairs' first columns
    // 0, 2, .., 18): ADCs 0 and 1 convert 4 each, ADC 2 converts 2
    const pairCols = Array.from({ length: 10 }, (_, p) => 2 * p);
    expect(busiestAdc(pairCols, 8)).toBe(4);
    const r = tileRead(3, 20, 10, 4, 1, { readCycles: 10, adcCycles: 2, columnsPerAdc: 8 });
    expect(r).toEqual({ cycles: 10 + 4 * 2, adcConversions: 10, dacConversions: 3, cellReads: 60, rowReads: 3 });
    // bit-serial with 4 pulses repeats the read: 4x everything
    expect(tileRead(3, 20, 10, 4, 4, { readCycles: 10, adcCycles: 2, columnsPerAdc: 8 }).cycles).toBe(4 * 18);
    expect(tileRead(0, 20, 10, 4, 1, { readCycles: 10, adcCycles: 2, columnsPerAdc: 8 }).cycles).toBe(0);
  });
});

describe("energy ledger and barrier", () => {
  it("charges per component and sums to the total", () => {
    const l = new EnergyLedger();
    l.charge(C_SYNAPTIC, 10, 23.6e-12);
    l.charge(C_NEURON, 3, 81e-12);
    l.charge(C_NEURON, 2, 52e-12);
    const b = l.breakdown();
    expect(Object.keys(b)).toEqual([...COMPONENTS]);
    expect(b.synaptic).toBeCloseTo(236e-12, 20);
    expect(b.neuron).toBeCloseTo(347e-12, 20);
    expect(l.ops[C_NEURON]).toBe(5);
    expect(l.total()).toBe(Object.values(b).reduce((a, x) => a + x, 0));
  });
  it("interpolates a barrier table and builds a gather-release tree", () => {
    const table = {
      points: [
        [1, 113e-9],
        [32, 465e-9],
      ] as [number, number][],
    };
    expect(tableBarrierSeconds(1, table)).toBeCloseTo(113e-9, 18);
    expect(tableBarrierSeconds(32, table)).toBeCloseTo(465e-9, 18);
    expect(tableBarrierSeconds(64, table)).toBeCloseTo(465e-9, 18);
    expect(tableBarrierSeconds(16.5, table)).toBeCloseTo(289e-9, 18);
    // tiles 0, 1, 5 on a 4-wide mesh: farthest is tile 5 = (1,1): 1*3 + 1*4 = 7 -> 2 * (7 + 1) = 16 cycles
    expect(treeBarrier([0, 1, 5], 4, 3, 4, 1)).toEqual({ cycles: 16, hopsX: 4, hopsY: 2 });
    expect(treeBarrier([3], 4, 3, 4, 1).cycles).toBe(0);
  });
});
