// The crossbar read model, shared by the descriptor runner (executor) and the cycle-accurate emulator. In: a
// crossbar descriptor, then per step the synapse events that are due (which rows the step activates); out:
// per converted column pair the integer word the periphery adds (through the projection's on-pre program,
// with that word as the weight), plus read / conversion / ADC-clip counts. docs/internals.md "Crossbar reads".
//
// A tile is read in a step when one of its rows is active; all its used pairs are then converted. Pair p of
// projection j: S = sum of the weight words (device variation included) of its active cells; x = S + sigma_w*n
// with n = normal(seed, fnv1a32("readnoise:TILE"), k * cols + 2p) and sigma_w = readNoiseSigma * (levels - 1)
// * u_j (u_j = words per conductance level: scale_j * 2^fracBits); code = round_ne(x / lsb) clipped to
// [-q, q], q = 2^(adcBits-1) - 1; out = round_ne(code * lsb). The ADC's full scale is the tile's largest
// possible column sum FS (levels, all rows active, variation included): lsb = FS * u_j / q words.
// Periphery: for an on-pre program `post.X += w` (shifts aside) out is accumulated signed into X
// (round_ne(out * 2^(fracX - fracW)), saturating add in X's format); any other program runs with w := out.

import type { CrossbarDescriptor } from "../descriptor/types.js";
import type { FxExpr, FxStmt } from "../fixed/ir.js";
import { fnv1a32, normal } from "../network/rng.js";
import { fitRaw, rawMin, roundFloat, type OverflowCounter, type QFormat } from "../fixed/qformat.js";

const math = Math;

export interface AdcConversion {
  /** The signed ADC code after clipping, and the word it stands for (round_ne(code * lsb)). */
  code: number;
  out: number;
  clipped: boolean;
}

/** One conversion of a column pair: ideal sum `S` (words), read noise `sigmaWords * n`, ADC of step `lsb`
 *  words and codes -q..q. */
export function adcConvert(S: number, sigmaWords: number, n: number, lsb: number, q: number): AdcConversion {
  const x = S + sigmaWords * n;
  let code = roundFloat(x / lsb, "nearest-even");
  let clipped = false;
  if (code > q) {
    code = q;
    clipped = true;
  } else if (code < -q) {
    code = -q;
    clipped = true;
  }
  return { code, out: roundFloat(code * lsb, "nearest-even"), clipped };
}

/** Largest |code| of a signed `bits`-bit conversion (symmetric, one code unused; at least 1). */
export const adcMaxCode = (bits: number): number => math.max(1, 2 ** (bits - 1) - 1);

/** The post input X when the on-pre program is exactly `post.X += w` up to shifts (a static synapse), else null. */
export function accumulateTarget(onPre: readonly FxStmt[], weightVar: string): string | null {
  const st = onPre[0];
  if (onPre.length !== 1 || !st || st.k !== "assign" || st.target.space !== "post") return null;
  const X = st.target.name;
  const strip = (e: FxExpr): FxExpr => (e.k === "shift" ? strip(e.a) : e);
  const v = strip(st.value);
  if (v.k !== "add") return null;
  const a = strip(v.a),
    b = strip(v.b);
  const isX = (e: FxExpr): boolean => e.k === "var" && e.ref.space === "post" && e.ref.name === X;
  const isW = (e: FxExpr): boolean =>
    e.k === "var" && (e.ref.space === "param" || e.ref.space === "state") && e.ref.name === weightVar;
  return (isX(a) && isW(b)) || (isW(a) && isX(b)) ? X : null;
}

/** Accumulation of a pair's output word into post input X: how its words become X's. */
export interface Accumulate {
  variable: string;
  fmt: QFormat;
  /** fracBits(X) - fracBits(w): out * 2^shift, rounded to nearest even, is the addend. */
  shift: number;
}

/** x[e] += round_ne(out * 2^shift), saturating into X's format (counted on `counter`). */
export function accumulate(x: Float64Array, e: number, out: number, acc: Accumulate, counter?: OverflowCounter): void {
  x[e] = fitRaw(x[e]! + roundFloat(out * 2 ** acc.shift, "nearest-even"), acc.fmt, "saturate", counter);
}

export interface ReadStats {
  /** Tile reads, pair conversions, and conversions whose code was clipped at +-q. */
  reads: number;
  conversions: number;
  clips: number;
}

/** The converted pairs of one projection, in (tile, pair) order: a pseudo synapse each, whose weight word
 *  `weights[i]` is set to the conversion's output before the caller's handler runs for it. */
export interface PairSynapses {
  projection: string;
  n: number;
  preIdx: Int32Array;
  postIdx: Int32Array;
  weights: Float64Array;
}

export class CrossbarReads {
  /** False when the model is the identity (no read noise, every lsb <= 1 word): then the per-synapse event
   *  path gives the same words and is used instead. */
  readonly active: boolean;
  readonly stats: ReadStats = { reads: 0, conversions: 0, clips: 0 };
  readonly pairs: PairSynapses[];
  /** Per projection: signed accumulation into a post input (static synapses), or null (on-pre program). */
  readonly acc: (Accumulate | null)[];
  /** Per projection and synapse: the global pair (tile-major) its cell sits on, and its weight word. */
  private readonly pairOf: Int32Array[];
  private readonly wordOf: Float64Array[];
  /** Per global pair: projection, pseudo index, tile, noise index offset (2p), lsb, sigma (words), lower bound. */
  private readonly gProj: Int32Array;
  private readonly gPseudo: Int32Array;
  private readonly gTile: Int32Array;
  private readonly gCol: Int32Array;
  private readonly gLsb: Float64Array;
  private readonly gSigma: Float64Array;
  private readonly gLow: Float64Array;
  private readonly tileStart: Int32Array;
  private readonly tileCols: Int32Array;
  private readonly tileStream: Uint32Array;
  private readonly sums: Float64Array;
  private readonly touched: Uint8Array;
  private readonly touchedList: number[] = [];
  private readonly q: number[];
  private readonly seed: number;
  /** Full scale of each tile in conductance levels (the tile's largest possible column sum). */
  readonly fullScaleLevels: Float64Array;

  constructor(d: CrossbarDescriptor) {
    this.seed = d.seed >>> 0;
    const sigma = d.device.readNoiseSigma,
      levels = d.device.levels;
    const projIndex = new Map(d.projections.map((t, j) => [t.projection, j]));
    const wm = new Map(d.weightMaps.map((m) => [m.projection, m]));
    // words per conductance level and the weight format of each projection
    const u = d.projections.map((t) => {
      const fmt = t.vars.find((v) => v.name === t.weightVar)?.fmt;
      return fmt ? (wm.get(t.projection)?.scale ?? 0) * 2 ** fmt.fracBits : 0;
    });
    const fmtOf: (QFormat | undefined)[] = d.projections.map((t) => t.vars.find((v) => v.name === t.weightVar)?.fmt);
    this.acc = d.projections.map((t, j) => {
      const X = accumulateTarget(t.onPre, t.weightVar),
        fx = X ? d.formats[`${t.post.population}.${X}`] : undefined,
        fw = fmtOf[j];
      return X && fx && fw ? { variable: X, fmt: fx, shift: fx.fracBits - fw.fracBits } : null;
    });
    this.pairOf = d.projections.map((t) => new Int32Array(t.n).fill(-1));
    this.wordOf = d.projections.map((t) => new Float64Array(t.n));
    let nPairs = 0;
    for (const tile of d.tiles) nPairs += tile.pairs.length;
    this.gProj = new Int32Array(nPairs);
    this.gPseudo = new Int32Array(nPairs);
    this.gTile = new Int32Array(nPairs);
    this.gCol = new Int32Array(nPairs);
    this.gLsb = new Float64Array(nPairs);
    this.gSigma = new Float64Array(nPairs);
    this.gLow = new Float64Array(nPairs).fill(-Infinity);
    this.tileStart = new Int32Array(d.tiles.length + 1);
    this.tileCols = new Int32Array(d.tiles.length);
    this.tileStream = new Uint32Array(d.tiles.length);
    this.fullScaleLevels = new Float64Array(d.tiles.length);
    this.q = d.tiles.map((t) => adcMaxCode(t.adcBits));
    const pseudoPre: number[][] = d.projections.map(() => []),
      pseudoPost: number[][] = d.projections.map(() => []);
    let g0 = 0,
      coarse = false;
    d.tiles.forEach((tile, ti) => {
      this.tileStart[ti] = g0;
      this.tileCols[ti] = tile.cols;
      this.tileStream[ti] = fnv1a32(`readnoise:${tile.id}`);
      const pos = new Float64Array(tile.pairs.length),
        neg = new Float64Array(tile.pairs.length),
        firstRow = new Int32Array(tile.pairs.length).fill(-1);
      for (const c of tile.cells) {
        const j = projIndex.get(tile.pairs[c.pair]!.projection)!;
        this.pairOf[j]![c.synapse] = g0 + c.pair;
        this.wordOf[j]![c.synapse] = c.weight;
        if (u[j]! > 0) {
          if (c.weight > 0) pos[c.pair] += c.weight / u[j]!;
          else neg[c.pair] -= c.weight / u[j]!;
        }
        if (firstRow[c.pair] === -1) firstRow[c.pair] = c.row;
      }
      let fs = 0;
      for (let p = 0; p < tile.pairs.length; p++) fs = math.max(fs, pos[p]!, neg[p]!);
      this.fullScaleLevels[ti] = fs;
      tile.pairs.forEach((col, p) => {
        const g = g0 + p,
          j = projIndex.get(col.projection)!;
        this.gProj[g] = j;
        this.gPseudo[g] = pseudoPost[j]!.length;
        this.gTile[g] = ti;
        this.gCol[g] = 2 * p;
        this.gLsb[g] = (fs * u[j]!) / this.q[ti]!;
        this.gSigma[g] = sigma * (levels - 1) * u[j]!;
        const f = fmtOf[j];
        if (f && !f.signed && !this.acc[j]) this.gLow[g] = rawMin(f); // an unsigned weight word cannot go below 0
        if (this.gLsb[g]! > 1) coarse = true;
        pseudoPost[j]!.push(col.index);
        pseudoPre[j]!.push(firstRow[p]! >= 0 ? tile.rowInputs[firstRow[p]!]! : 0);
      });
      g0 += tile.pairs.length;
    });
    this.tileStart[d.tiles.length] = g0;
    this.sums = new Float64Array(nPairs);
    this.touched = new Uint8Array(d.tiles.length);
    this.pairs = d.projections.map((t, j) => ({
      projection: t.projection,
      n: pseudoPost[j]!.length,
      preIdx: Int32Array.from(pseudoPre[j]!),
      postIdx: Int32Array.from(pseudoPost[j]!),
      weights: new Float64Array(pseudoPost[j]!.length),
    }));
    this.active = sigma > 0 || coarse;
  }

  /** Index of a projection of the descriptor (-1: none). */
  projectionIndex(name: string): number {
    return this.pairs.findIndex((p) => p.projection === name);
  }

  /** Synapse s of projection j is due this step: its row is active, its cell adds its word to its pair. */
  event(j: number, s: number): void {
    const g = this.pairOf[j]![s]!;
    if (g < 0) throw new Error(`crossbar read: synapse ${s} of ${this.pairs[j]!.projection} is held by no tile`);
    this.sums[g] += this.wordOf[j]![s]!;
    const ti = this.gTile[g]!;
    if (!this.touched[ti]) {
      this.touched[ti] = 1;
      this.touchedList.push(ti);
    }
  }

  /** Reads every tile with an active row this step (ascending tile order): converts each of its used pairs and
   *  calls apply(j, i) after setting pairs[j].weights[i] to the output word (skipped when the word is 0). For
   *  an unsigned weight format without accumulation a negative word becomes 0. */
  flush(k: number, apply: (j: number, i: number) => void): void {
    const list = this.touchedList;
    if (!list.length) return;
    list.sort((a, b) => a - b);
    const st = this.stats;
    for (let x = 0; x < list.length; x++) {
      const ti = list[x]!;
      this.touched[ti] = 0;
      st.reads++;
      const q = this.q[ti]!,
        stream = this.tileStream[ti]!,
        base = k * this.tileCols[ti]!;
      for (let g = this.tileStart[ti]!, end = this.tileStart[ti + 1]!; g < end; g++) {
        const S = this.sums[g]!;
        this.sums[g] = 0;
        const lsb = this.gLsb[g]!,
          sg = this.gSigma[g]!;
        if (!(lsb > 0)) continue; // a pair of a projection whose weights are all 0: no current, no code
        st.conversions++;
        const n = sg > 0 ? normal(this.seed, stream, base + this.gCol[g]!) : 0;
        const c = adcConvert(S, sg, n, lsb, q);
        if (c.clipped) st.clips++;
        const out = math.max(c.out, this.gLow[g]!);
        if (out === 0) continue;
        const j = this.gProj[g]!,
          i = this.gPseudo[g]!;
        this.pairs[j]!.weights[i] = out;
        apply(j, i);
      }
    }
    list.length = 0;
  }
}
