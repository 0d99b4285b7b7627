// A descriptor's embedded hardware spec: the spec it was mapped onto, and its hash, so `glia emulate desc.json`
// needs no --hw and a different --hw is caught. In: a hardware spec (or a descriptor); out: the spec's SHA-256
// over its canonical JSON (keys sorted at every level), and the descriptor with `spec` and `specHash` set.

import { createHash } from "node:crypto";
import type { HardwareSpec } from "../hw/spec.js";
import type { Descriptor } from "./types.js";

function canonical(x: unknown): unknown {
  if (Array.isArray(x)) return x.map(canonical);
  if (x && typeof x === "object")
    return Object.fromEntries(
      Object.keys(x)
        .sort()
        .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
    );
  return x;
}

/** SHA-256 (hex) of the spec's canonical JSON. */
export function specHash(spec: HardwareSpec | Record<string, unknown>): string {
  return createHash("sha256")
    .update(JSON.stringify(canonical(spec)))
    .digest("hex");
}

/** The descriptor with its spec embedded. */
export function withSpec<D extends Descriptor>(d: D, spec: HardwareSpec): D {
  return { ...d, spec, specHash: specHash(spec) };
}
