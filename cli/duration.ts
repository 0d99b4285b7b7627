// Command-line quantities: "1s", "500 ms", "0.25" (seconds). In: text; out: seconds, or a usage error.
// Linear time on any argument: lengths are checked first and the patterns never backtrack.

import { UNITS, DIM, dimEq } from "../compiler/units/units.js";
import { UsageError } from "./io.js";

/** Longest option value read as a number; anything longer is refused before matching. */
const MAX_VALUE_LENGTH = 64;

/** `text` for an error message, cut if long (the message must not echo a megabyte argument). */
function shown(text: string): string {
  return text.length <= MAX_VALUE_LENGTH ? text : `${text.slice(0, MAX_VALUE_LENGTH)}... (${text.length} characters)`;
}

export function parseDuration(text: string, option = "--duration"): number {
  const m =
    text.length <= MAX_VALUE_LENGTH
      ? /^\s*((?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z]*)\s*$/.exec(text)
      : null;
  if (!m) throw new UsageError(`${option}: cannot read '${shown(text)}' as a time (examples: 1s, 500ms, 0.2)`);
  const value = Number(m[1]);
  const unit = m[2] || "s";
  const info = UNITS.get(unit);
  if (!info || !dimEq(info.dim, DIM.time))
    throw new UsageError(`${option}: '${unit}' is not a unit of time (use s, ms, us)`);
  const seconds = value * info.scale;
  if (!(seconds > 0) || !Number.isFinite(seconds)) throw new UsageError(`${option}: must be a positive time`);
  return seconds;
}

export function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) > 0xffffffff)
    throw new UsageError(`--seed: expected an integer in 0..4294967295, got '${shown(text)}'`);
  return Number(text);
}

export function parseThreads(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || Number(text) > 256)
    throw new UsageError(`--threads: expected a whole number from 1 to 256, got '${shown(text)}'`);
  return Number(text);
}

/** `--weight-bits N`: 16 (the one width the wasm targets store synapse values in besides the run's precision). */
export function parseWeightBits(text: string): 16 {
  if (text !== "16") throw new UsageError(`--weight-bits: expected 16, got '${shown(text)}'`);
  return 16;
}

/** `--window FROM:TO` ("200ms:1s"; FROM may be 0): the half-open time window [FROM, TO) in seconds. */
export function parseWindow(text: string): [number, number] {
  const parts = text.length <= 2 * MAX_VALUE_LENGTH ? text.split(":") : [];
  if (parts.length !== 2) throw new UsageError(`--window: expected FROM:TO, e.g. 200ms:1s, got '${shown(text)}'`);
  const from =
    /^\s*0*\s*[A-Za-z]*\s*$/.test(parts[0]!) && !/[1-9]/.test(parts[0]!) ? 0 : parseDuration(parts[0]!, "--window");
  const to = parseDuration(parts[1]!, "--window");
  if (!(to > from)) throw new UsageError(`--window: the end (${to} s) must come after the start (${from} s)`);
  return [from, to];
}
