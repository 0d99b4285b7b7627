// The Python peers (Brian2, NEST, NESTML, NIR, SANA-FE) as the tests see them. In: the virtual environment
// .venv-peers/ made by `npm run peers:install` (test/peers/requirements.txt). Out: peerPython(), which modules it
// imports, and describePeer(), which runs a suite when its peers are there, skips it when they are not, and
// fails it instead of skipping under GLIA_REQUIRE_PEERS=1 (as .ci/run sets).
import { describe, it } from "@jest/globals";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./dir-host.js";

/** The peers a suite can ask for (test/peers/global-setup.mjs probes each one's Python module). */
export type PeerName = "brian2" | "nest" | "nestml" | "nir" | "sanafe";

export const PEERS_VENV = path.join(REPO_ROOT, ".venv-peers");
export const STATUS_ENV = "GLIA_PEERS_STATUS";

/** The venv's interpreter, or undefined when the venv has not been made. */
export function peerPython(): string | undefined {
  const p = path.join(PEERS_VENV, "bin", "python");
  return fs.existsSync(p) ? p : undefined;
}

export type PeerStatus = Record<PeerName, { ok: boolean; detail: string }>;

let cached: PeerStatus | undefined;
/** The status test/peers/global-setup.mjs probed once for the run (passed down in the environment). */
export function peerStatus(): PeerStatus {
  if (cached) return cached;
  const env = process.env[STATUS_ENV];
  if (env === undefined) throw new Error(`${STATUS_ENV} is not set: jest runs test/peers/global-setup.mjs first`);
  cached = JSON.parse(env) as PeerStatus;
  return cached;
}

export const peersRequired = (): boolean => process.env.GLIA_REQUIRE_PEERS === "1";

/** A describe() that needs the named peers: runs, skips, or (GLIA_REQUIRE_PEERS=1) fails when one is missing. */
export function describePeer(title: string, peers: PeerName[], body: () => void): void {
  const status = peerStatus();
  const missing = peers.filter((p) => !status[p].ok);
  if (missing.length === 0) {
    describe(title, body);
    return;
  }
  const why = missing.map((p) => `${p}: ${status[p].detail}`).join("; ");
  if (peersRequired()) {
    describe(title, () => {
      it("has its peers installed (GLIA_REQUIRE_PEERS=1)", () => {
        throw new Error(`peer suite "${title}" cannot run: ${why}`);
      });
    });
  } else {
    describe.skip(`${title} [skipped: ${why}]`, body);
  }
}

/** Runs a Python script with the peers' interpreter; throws with its stderr when it fails. */
export function runPeerScript(script: string, args: string[], timeoutMs = 600_000): string {
  const python = peerPython();
  if (python === undefined) throw new Error("no .venv-peers");
  const r = spawnSync(python, ["-W", "ignore", script, ...args], {
    encoding: "utf8",
    env: { ...process.env }, // the test's environment (jest's process.env is not the one a child inherits)
    timeout: timeoutMs,
    maxBuffer: 256 << 20,
  });
  if (r.error) throw r.error;
  if (r.status !== 0) throw new Error(`${path.basename(script)} exited ${r.status}:\n${r.stderr.slice(-4000)}`);
  return r.stdout;
}
