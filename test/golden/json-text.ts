// Stable, readable JSON for golden files. In: a JSON value (plain objects, arrays, typed arrays, numbers,
// strings, booleans, null); out: text with object keys sorted (so a change in construction order is not a
// diff), a value on one line when it fits in `width` columns, else one member per line, arrays of scalars
// packed several per line. Numbers print as JSON.stringify prints them (the ECMAScript shortest round-trip
// form, the same on every host); non-finite numbers are not JSON and throw.

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const isScalar = (v: unknown): boolean => v === null || typeof v !== "object";

function normalize(v: unknown, at: string): Json {
  if (v === null || typeof v === "boolean" || typeof v === "string") return v;
  if (typeof v === "number") {
    if (!Number.isFinite(v)) throw new Error(`json-text: ${at} is ${v}, which JSON cannot hold`);
    return v;
  }
  if (ArrayBuffer.isView(v))
    return Array.from(v as unknown as ArrayLike<number>, (x, i) => normalize(x, `${at}[${i}]`));
  if (Array.isArray(v)) return v.map((x, i) => normalize(x, `${at}[${i}]`));
  if (typeof v === "object") {
    const out: { [key: string]: Json } = {};
    for (const k of Object.keys(v as object).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = normalize(x, `${at}.${k}`);
    }
    return out;
  }
  throw new Error(`json-text: ${at} is a ${typeof v}, which JSON cannot hold`);
}

function oneLine(v: Json): string {
  if (isScalar(v)) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(oneLine).join(", ")}]`;
  const entries = Object.entries(v as Record<string, Json>);
  return entries.length === 0
    ? "{}"
    : `{ ${entries.map(([k, x]) => `${JSON.stringify(k)}: ${oneLine(x)}`).join(", ")} }`;
}

function block(v: Json, indent: string, lead: number, width: number): string {
  const flat = oneLine(v);
  if (isScalar(v) || lead + flat.length <= width) return flat;
  const inner = indent + "  ";
  if (Array.isArray(v)) {
    if (v.every(isScalar)) {
      // scalars packed: as many per line as fit
      const lines: string[] = [];
      let line = "";
      for (const x of v.map((s) => JSON.stringify(s))) {
        if (line && inner.length + line.length + x.length + 2 > width) {
          lines.push(line);
          line = "";
        }
        line += (line ? " " : "") + x + ",";
      }
      lines.push(line.slice(0, -1));
      return `[\n${lines.map((l) => inner + l).join("\n")}\n${indent}]`;
    }
    return `[\n${v.map((x) => inner + block(x, inner, inner.length, width)).join(",\n")}\n${indent}]`;
  }
  const members = Object.entries(v as Record<string, Json>).map(([k, x]) => {
    const key = `${JSON.stringify(k)}: `;
    return inner + key + block(x, inner, inner.length + key.length, width);
  });
  return `{\n${members.join(",\n")}\n${indent}}`;
}

/** `value` as stable JSON text (ends with a newline). */
export function jsonText(value: unknown, width = 110): string {
  return block(normalize(value, "$"), "", 0, width) + "\n";
}
