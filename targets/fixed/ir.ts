// The fixed-point IR: the discrete IR with every value an integer word of a declared Q format. In: nothing
// (types only); out: node types for the quantize pass, the printer and the executor.
//
// Each arithmetic node states its result format, its rounding (where bits are dropped) and its overflow
// mode (saturate or wrap). Operands of add/sub/min/max/sel/cmp already share the node's fraction bits
// (the quantizer inserts explicit `shift` nodes); a mul of raws with fraction bits fa and fb is exact and
// shifted right by `shift` so that fa + fb - shift is the result's fraction bits. A decay `x * c` with a
// constant c is a mul by the integer multiplier m = round(c * 2^s) held in the spec's multiplier width.

import type { IRGroup, IRProgram, IRProjection, Ref } from "../../compiler/ir/nodes.js";
import type { FxModulator } from "./modulators.js";
import type { LutFn } from "./nonlinear.js";
import type { Overflow, QFormat, Rounding } from "./qformat.js";

export type CmpOp = "<" | "<=" | ">" | ">=" | "==" | "!=";

export type FxExpr =
  /** A constant raw word; `value` is the real number it approximates. Comparison constants may lie outside
   *  their format's word range (they are never stored). */
  | { k: "const"; raw: number; fmt: QFormat; value: number }
  | { k: "var"; ref: Ref; fmt: QFormat }
  | { k: "add" | "sub"; a: FxExpr; b: FxExpr; fmt: QFormat; ovf: Overflow }
  | { k: "neg" | "abs"; a: FxExpr; fmt: QFormat; ovf: Overflow }
  | { k: "mul"; a: FxExpr; b: FxExpr; shift: number; fmt: QFormat; rnd: Rounding; ovf: Overflow }
  /** a * 2^by (by < 0: right shift with rounding) re-expressed in fmt. */
  | { k: "shift"; a: FxExpr; by: number; fmt: QFormat; rnd: Rounding; ovf: Overflow }
  | { k: "min" | "max"; a: FxExpr; b: FxExpr; fmt: QFormat }
  | { k: "sel"; c: FxBool; a: FxExpr; b: FxExpr; fmt: QFormat }
  /** fn(a) by a piecewise-linear table (nonlinear.ts): ys raw in fmt at raw inputs x0 + i * 2^step of a's format. */
  | { k: "lut"; fn: LutFn; a: FxExpr; x0: number; step: number; ys: number[]; fmt: QFormat }
  /** ln(a) by leading-zero count, an exponent table and a mantissa table (nonlinear.ts logEval); a <= 0 gives
   *  the format's lower end. A table node like lut (passes that only visit operands treat both alike). */
  | { k: "lut"; fn: "log"; a: FxExpr; offs: number[]; ys: number[]; seg: number; fmt: QFormat; ovf: Overflow }
  /** a / b: round(a * 2^pre / b) (pre < 0: a / (b * 2^-pre)), pre = fmt.frac + b.frac - a.frac; b = 0 saturates. */
  | { k: "div"; a: FxExpr; b: FxExpr; pre: number; fmt: QFormat; rnd: Rounding; ovf: Overflow }
  /** exp(rate * elapsed) of an event-driven prefix: a multiplier after the synapse's elapsed steps (table[n],
   *  chunks of table.length - 1 steps beyond), unsigned with fmt.fracBits fraction bits. */
  | { k: "edecay"; rate: number; table: number[]; fmt: QFormat };

export type FxBool =
  | { k: "bool"; v: boolean }
  | { k: "cmp"; op: CmpOp; a: FxExpr; b: FxExpr }
  | { k: "and" | "or"; a: FxBool; b: FxBool }
  | { k: "not"; a: FxBool }
  | { k: "flag"; name: "refractory" };

export type FxStmt =
  | { k: "assign"; target: Ref; value: FxExpr } // value is already in the target's format
  | { k: "let"; name: string; value: FxExpr }
  | { k: "if"; c: FxBool; then: FxStmt[]; otherwise: FxStmt[] };

/** A stored variable and how its format was chosen. */
export interface FxVar {
  name: string;
  space: "param" | "state" | "input";
  fmt: QFormat;
  /** The range the format covers (static bound when finite, else profiled), in SI units. */
  range: { lo: number; hi: number };
  source: "static" | "profile" | "constant" | "override";
}

export interface FxGroup {
  name: string;
  size: number;
  stepEvery: number;
  vars: FxVar[];
  locals: Record<string, QFormat>;
  update: FxStmt[];
  threshold: FxBool | null;
  reset: FxStmt[];
  refractory: { steps: number; clamp: string[] } | null;
  /** White noise read by the update (ref space "noise"): the format of each draw's word (state width, holding
   *  [-NOISE_BOUND, NOISE_BOUND]); the executor rounds the float64 draw into it (nearest, ties to even). */
  noise?: Record<string, QFormat>;
  ir: IRGroup;
}

export interface FxProjection {
  name: string;
  /** Handlers read the elapsed steps since the synapse's last event-driven update (edecay nodes). */
  eventDriven: boolean;
  vars: FxVar[]; // synapse params and state
  locals: Record<string, QFormat>;
  onPre: FxStmt[];
  onPost: FxStmt[];
  continuous: FxStmt[];
  /** Ensheathed projections: the astrocyte group's handlers per synapse event. In them (and in onPre, onPost,
   *  continuous, where exposes are inlined) a ref of space "astro" is a stored variable of the synapse's
   *  astrocyte (element astroOf[s]), never an expose. */
  astro: { group: string; locals: Record<string, QFormat>; onSynapsePre: FxStmt[]; onSynapsePost: FxStmt[] } | null;
  ir: IRProjection;
}

/** Word widths and modes from a hardware spec. */
export interface FixedSpec {
  name: string;
  /** State variables, inputs and neuron parameters. */
  stateBits: number;
  /** Synapse parameters and state (weights). */
  weightBits: number;
  /** Multiplier width for constant coefficients (signed). */
  coefBits: number;
  /** Intermediate results (locals, sums, products after their shift). */
  accBits: number;
  rounding: Rounding;
  overflow: Overflow;
  /** Extra integer bits on top of a profiled (not statically bounded) range. */
  headroomBits: number;
  /** "loihi": groups that matchLoihiLif accepts are stepped by Lava's bit-accurate LIF (loihi-run.ts); the
   *  rest, and every group under "generic" (the default), by the quantized update. */
  neuronMode?: "generic" | "loihi";
}

export interface FixedProgram {
  spec: FixedSpec;
  groups: FxGroup[];
  projections: FxProjection[];
  /** Formats of the current stimuli, in the order of ir.currents. */
  currents: QFormat[];
  /** The network modulators as broadcast words (modulators.ts), in the order of ir.modulators; absent: none. */
  modulators?: FxModulator[];
  /** The discrete float IR it came from (network construction, sources, monitors). */
  ir: IRProgram;
}
