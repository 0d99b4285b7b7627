// The shape of the wasm element loops (what V8 needs to compile them well) and its semantics:
// Fn.forLoop as a guarded do-while counts like a for loop (empty ranges, re-evaluated bound), and a
// group's step loop addresses its arrays through load/store offsets, tests at the bottom, no v128.not.
import { describe, expect, it } from "@jest/globals";
import { WasmModule, valType, type Expr } from "../../targets/wasm/module.js";
import { Fn } from "../../targets/wasm/fn.js";
import { emitWat } from "../../targets/wasm/index.js";
import type { Diagnostic } from "../../compiler/diagnostics/diagnostic.js";
import { b, group, n, program, r, set, v } from "../reference/ir-helpers.js";

interface LoopFns {
  /** acc = acc * 31 + idx over idx = from; idx < to; idx += step. */
  hash(from: number, to: number): number;
  /** for (idx = 0; idx < mem[0]; idx++) mem[0] -= 1: the bound is read again every iteration. */
  shrink(bound: number): number;
  memory: WebAssembly.Memory;
}

function buildLoops(step: number, optimize: boolean): LoopFns {
  const m = new WasmModule();
  try {
    const ir = m.ir;
    const f = new Fn(ir, ["i32", "i32"]);
    const idx = f.local("idx", "i32");
    const acc = f.local("acc", "i32");
    const body: Expr = ir.block(
      null,
      [
        f.set(acc, ir.i32.const(0)),
        f.forLoop(idx, f.get(0), f.get(1), step, [
          f.set(acc, ir.i32.add(ir.i32.mul(f.get(acc), ir.i32.const(31)), f.get(idx))),
        ]),
        f.get(acc),
      ],
      valType("i32"),
    );
    m.addFunction({ name: "hash", params: ["i32", "i32"], result: "i32", locals: f.locals, body, export: true });

    const g = new Fn(ir, []);
    const i = g.local("i", "i32");
    const bound = (): Expr => g.loadI32(ir.i32.const(0));
    const shrinkBody = ir.block(
      null,
      [
        g.forLoop(i, ir.i32.const(0), bound(), 1, [g.storeI32(ir.i32.const(0), ir.i32.sub(bound(), ir.i32.const(1)))]),
        g.get(i),
      ],
      valType("i32"),
    );
    m.addFunction({ name: "shrink", params: [], result: "i32", locals: g.locals, body: shrinkBody, export: true });

    expect(m.validate()).toEqual([]);
    if (optimize) expect(m.optimize(3, 0)).toEqual([]);
    const memory = new WebAssembly.Memory({ initial: 1 });
    const inst = new WebAssembly.Instance(new WebAssembly.Module(m.emitBinary()), { env: { memory } });
    const ex = inst.exports as unknown as { hash(a: number, b: number): number; shrink(): number };
    return {
      hash: (a, c) => ex.hash(a, c),
      shrink: (start) => {
        new Int32Array(memory.buffer)[0] = start;
        return ex.shrink();
      },
      memory,
    };
  } finally {
    m.dispose();
  }
}

function hashJs(from: number, to: number, step: number): number {
  let acc = 0;
  for (let i = from; i < to; i += step) acc = (Math.imul(acc, 31) + i) | 0;
  return acc;
}

function shrinkJs(start: number): number {
  let bound = start;
  let i = 0;
  for (; i < bound; i++) bound -= 1;
  return i;
}

describe("Fn.forLoop (guarded do-while)", () => {
  for (const optimize of [false, true]) {
    for (const step of [1, 4, 16]) {
      it(`counts like a for loop: step ${step}, ${optimize ? "optimized" : "as lowered"}`, () => {
        const loops = buildLoops(step, optimize);
        const ranges: Array<[number, number]> = [
          [0, 0],
          [5, 5],
          [7, 3],
          [0, 1],
          [0, 64],
          [-20, 13],
          [3, 50],
          [-5, -4],
          [100, 99],
        ];
        for (const [from, to] of ranges) expect(loops.hash(from, to)).toBe(hashJs(from, to, step));
      });
    }
    it(`re-reads the bound every iteration, ${optimize ? "optimized" : "as lowered"}`, () => {
      const loops = buildLoops(1, optimize);
      for (const start of [0, 1, 2, 7, 100, -3]) expect(loops.shrink(start)).toBe(shrinkJs(start));
      expect(new Int32Array(loops.memory.buffer)[0]).toBe(-3); // a bound <= 0 runs no iteration
    });
  }
});

describe("group step loop shape", () => {
  const lif = group("lif", 10, {
    state: [v("v", -0.065), v("w", 0.5)],
    update: [
      { k: "let", name: "vn", value: b("+", b("*", r("state", "v"), n(0.99)), b("*", r("state", "w"), n(0.001))) },
      set("state", "v", { k: "sel", c: r("flag", "refractory"), a: r("state", "v"), b: r("local", "vn") }),
      set("state", "w", b("*", r("state", "w"), n(0.98))),
    ],
    threshold: b(">", r("state", "v"), n(-0.05)),
    reset: [set("state", "v", n(-0.065))],
    refractory: { steps: 20, clamp: ["v"] },
  });

  /** The text of one function of a WAT module. */
  const funcText = (wat: string, name: string): string => {
    const start = wat.indexOf(`(func $${name} `);
    expect(start).toBeGreaterThanOrEqual(0);
    const next = wat.indexOf("\n (func ", start + 1);
    return wat.slice(start, next < 0 ? undefined : next);
  };

  for (const precision of ["f32", "f64"] as const) {
    it(`${precision}: arrays through offset immediates, bottom-tested loop`, () => {
      const diags: Diagnostic[] = [];
      const step = funcText(emitWat(program({ groups: [lif] }), diags, precision), "g0_step");
      expect(diags).toEqual([]);
      const access = precision === "f32" ? "v128" : "f64";
      // every array access: `(v128.load offset=BASE (local.get $ib))`, no (i32.add ...) address
      const accesses = [
        ...step.matchAll(new RegExp(`\\((?:${access}|i32)\\.(?:load|store)( offset=\\d+)?\\s*\\n\\s*\\((\\S+)`, "g")),
      ];
      expect(accesses.length).toBeGreaterThanOrEqual(5); // v, w, lastSpike loads; v, w stores
      for (const a of accesses) expect(a[2]).not.toBe("i32.add");
      expect(accesses.filter((a) => a[1] !== undefined).length).toBeGreaterThanOrEqual(5);
      // the element loop ends in a conditional back edge and has no unconditional one
      expect(step).toMatch(/\(br_if \$next\d+\s*\n\s*\(i32\.lt_s/);
      expect(step).not.toMatch(/\(br \$next\d+\s*\)/);
      if (precision === "f32") {
        expect(step).toContain("v128.andnot");
        expect(step).not.toContain("v128.not");
      }
    });
  }
});
