// Versioned JSON form of the IR: {"glia_ir": 1, "program": {...}} with keys sorted, so the same IR
// always gives the same bytes. In: an IRProgram / JSON text; out: JSON text / a result that is either
// the program or an error message (never a throw). Numbers JSON cannot hold (-0, NaN, ±Infinity)
// are written as {"$num": "-0"} etc. and restored on reading. Source spans (spans.ts) are left out.

import { IR_VERSION, type IRProgram } from "./nodes.js";
import { SPAN_KEYS } from "./spans.js";

const SPECIAL = "$num";

function encode(v: unknown): unknown {
  if (typeof v === "number") {
    if (Object.is(v, -0) || !Number.isFinite(v)) return { [SPECIAL]: Object.is(v, -0) ? "-0" : String(v) };
    return v;
  }
  if (Array.isArray(v)) return v.map(encode);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      if (SPAN_KEYS.has(k)) continue; // source spans are not part of the IR's meaning
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = encode(x);
    }
    return out;
  }
  return v;
}

function decode(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(decode);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o);
    if (keys.length === 1 && keys[0] === SPECIAL && typeof o[SPECIAL] === "string") return Number(o[SPECIAL]);
    const out: Record<string, unknown> = {};
    for (const k of keys) out[k] = decode(o[k]);
    return out;
  }
  return v;
}

/** The program as versioned, deterministic JSON (one line per nothing: compact, newline at the end). */
export function irToJson(p: IRProgram): string {
  return JSON.stringify({ glia_ir: IR_VERSION, program: encode(p) }) + "\n";
}

export type IrFromJson = { ok: true; program: IRProgram } | { ok: false; error: string };

const ARRAYS = ["groups", "sources", "projections", "currents", "modulators", "monitors", "passes"] as const;

/** Reads JSON written by irToJson; rejects other versions and malformed documents with a message. */
export function irFromJson(text: string): IrFromJson {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `not JSON: ${(e as Error).message}` };
  }
  if (doc === null || typeof doc !== "object" || Array.isArray(doc))
    return { ok: false, error: "not a glia IR document (expected an object)" };
  const d = doc as Record<string, unknown>;
  if (!("glia_ir" in d)) return { ok: false, error: 'not a glia IR document (no "glia_ir" version field)' };
  if (d.glia_ir !== IR_VERSION)
    return {
      ok: false,
      error: `unsupported glia IR version ${JSON.stringify(d.glia_ir)} (this compiler reads version ${IR_VERSION})`,
    };
  const prog = decode(d.program);
  if (prog === null || typeof prog !== "object" || Array.isArray(prog))
    return { ok: false, error: 'missing "program" object' };
  const p = prog as Record<string, unknown>;
  if (p.version !== IR_VERSION)
    return { ok: false, error: `program.version is ${JSON.stringify(p.version)}, expected ${IR_VERSION}` };
  for (const k of ARRAYS) if (!Array.isArray(p[k])) return { ok: false, error: `program.${k} must be an array` };
  for (const k of ["dt", "seed", "steps"])
    if (typeof p[k] !== "number") return { ok: false, error: `program.${k} must be a number` };
  if (typeof p.network !== "string") return { ok: false, error: "program.network must be a string" };
  return { ok: true, program: p as unknown as IRProgram };
}
