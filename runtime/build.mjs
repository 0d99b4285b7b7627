// Builds the AssemblyScript runtime in-process with asc's programmatic API.
// In: asconfig.json + runtime/assembly/**; out: runtime/build/glia-runtime.wasm (+ .wat), written atomically.
// Usage: node runtime/build.mjs [--target release|debug]   (npm run build:runtime). Exit code 1 on errors.
import asc from "assemblyscript/asc";
import { mkdirSync, renameSync, writeFileSync, readdirSync, statSync, existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join, resolve } from "node:path";

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const runtimeWasmPath = join(repoRoot, "runtime", "build", "glia-runtime.wasm");

/**
 * Compiles the runtime for one asconfig target. Outputs are collected in memory and then written
 * via a temporary name + rename, so concurrent builds (parallel test workers) never leave a torn file.
 * Resolves to { errors, wasm } where wasm is the release binary (undefined when errors is non-empty).
 */
export async function buildRuntime(target = "release") {
  const errors = [];
  const outputs = new Map();
  const { error } = await asc.main(["--config", "asconfig.json", "--target", target], {
    stdout: {
      write() {
        return true;
      },
    },
    stderr: {
      write(text) {
        errors.push(String(text));
        return true;
      },
    },
    readFile(name, baseDir) {
      const path = resolve(repoRoot, baseDir, name);
      return existsSync(path) ? readFileSync(path, "utf8") : null;
    },
    writeFile(name, contents, baseDir) {
      outputs.set(resolve(repoRoot, baseDir, name), contents);
    },
    listFiles(dir, baseDir) {
      const path = resolve(repoRoot, baseDir, dir);
      return existsSync(path) ? readdirSync(path).filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts")) : null;
    },
  });
  if (error) errors.push(String(error.message ?? error));
  const problems = errors.filter((line) => line.trim() !== "");
  if (problems.length > 0) return { errors: problems, wasm: undefined };
  let wasm;
  for (const [path, contents] of outputs) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(temp, contents);
    renameSync(temp, path);
    if (path.endsWith(".wasm") && typeof contents !== "string") wasm = contents;
  }
  return { errors: [], wasm };
}

/** True when the built runtime is missing or older than any AssemblyScript source or asconfig.json. */
export function runtimeIsStale() {
  if (!existsSync(runtimeWasmPath)) return true;
  const built = statSync(runtimeWasmPath).mtimeMs;
  const sources = [join(repoRoot, "asconfig.json")];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(".ts")) sources.push(path);
    }
  };
  walk(join(repoRoot, "runtime", "assembly"));
  return sources.some((path) => statSync(path).mtimeMs > built);
}

/** The release runtime bytes, building first when missing or stale. Rejects with the compiler's messages. */
export async function ensureRuntimeWasm() {
  if (!runtimeIsStale()) return new Uint8Array(readFileSync(runtimeWasmPath));
  const { errors } = await buildRuntime("release");
  if (errors.length > 0) throw new Error(`runtime build failed:\n${errors.join("")}`);
  return new Uint8Array(readFileSync(runtimeWasmPath));
}

const isMain = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const at = process.argv.indexOf("--target");
  const target = at >= 0 ? process.argv[at + 1] : "release";
  const { errors } = await buildRuntime(target);
  if (errors.length > 0) {
    process.stderr.write(errors.join(""));
    process.exit(1);
  }
}
