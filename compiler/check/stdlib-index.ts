// Which standard-library file defines which model, for "import it" hints. In: a model name; out: the
// import line that brings it in. test/check/stdlib-index.test.ts keeps this table in step with
// compiler/stdlib/*.glia (the checker is pure and reads no files).

export const STDLIB_MODELS: Readonly<Record<string, string>> = {
  LIF: "std/lif.glia",
  LIFCurrent: "std/lif.glia",
  Izhikevich: "std/izhikevich.glia",
  Static: "std/static.glia",
  STDP: "std/stdp.glia",
};

/** The hint for an unknown model: a near name in scope, else the stdlib import, else a generic one. */
export function unknownModelHint(name: string, near: string | undefined, generic: string): string {
  if (near) return `did you mean \`${near}\`?`;
  const file = STDLIB_MODELS[name];
  return file ? `the standard library has it: add \`import "${file}"\`` : generic;
}
