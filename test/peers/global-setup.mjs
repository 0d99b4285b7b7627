// Jest global setup (plain ESM: jest loads it untransformed): probes the Python peers in .venv-peers/ once for
// the whole run, hands the result to every test worker in GLIA_PEERS_STATUS (read by test/helpers/peers.ts),
// and prints once which peer suites will be skipped (or fail, under GLIA_REQUIRE_PEERS=1) and why.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fileURLToPath } from "node:url";

/** Peer name -> the Python module that must import. */
const PEER_MODULES = { brian2: "brian2", nest: "nest", nestml: "pynestml", nir: "nir", sanafe: "sanafe" };

function probe(python) {
  const script = [
    "import json, importlib, io, contextlib",
    "out = {}",
    `for name, mod in ${JSON.stringify(Object.entries(PEER_MODULES))}:`,
    "    try:",
    "        with contextlib.redirect_stdout(io.StringIO()):",
    "            m = importlib.import_module(mod)",
    "        out[name] = [True, str(getattr(m, '__version__', 'ok'))]",
    "    except Exception as e:",
    "        out[name] = [False, f'{type(e).__name__}: {e}']",
    "print('PEERS' + json.dumps(out))",
  ].join("\n");
  const r = spawnSync(python, ["-W", "ignore", "-c", script], { encoding: "utf8", timeout: 120_000 });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("PEERS"));
  const parsed = line ? JSON.parse(line.slice(5)) : {};
  const why = `probe failed: ${(r.error?.message ?? r.stderr ?? "").trim().split("\n").pop()}`;
  return Object.fromEntries(
    Object.keys(PEER_MODULES).map((n) => [
      n,
      parsed[n] ? { ok: parsed[n][0], detail: parsed[n][1] } : { ok: false, detail: why },
    ]),
  );
}

export default function globalSetup() {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
  const python = path.join(root, ".venv-peers", "bin", "python");
  const status = fs.existsSync(python)
    ? probe(python)
    : Object.fromEntries(
        Object.keys(PEER_MODULES).map((n) => [
          n,
          { ok: false, detail: "no .venv-peers (run `npm run peers:install`)" },
        ]),
      );
  process.env.GLIA_PEERS_STATUS = JSON.stringify(status);
  const missing = Object.entries(status).filter(([, s]) => !s.ok);
  if (missing.length === 0) return;
  const verb = process.env.GLIA_REQUIRE_PEERS === "1" ? "FAIL (GLIA_REQUIRE_PEERS=1)" : "are skipped";
  const lines = missing.map(([name, s]) => `  ${name}: ${s.detail}`);
  process.stdout.write(`\npeer suites that need these ${verb}:\n${lines.join("\n")}\n`);
}
