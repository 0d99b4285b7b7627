// The engines `glia bench` measures, and where the repository is. In: the --vs choice; out: the engine
// list (glia first, then the single-thread, emulator, SANA-FE and NEST rows, then the peer). Adding a row kind (e.g. the emulator's emulated
// events/s and cycles/s) is one entry in EXTRA_ENGINES.

import { posix } from "node:path";
import { fileURLToPath } from "node:url";
import type { BenchEngine } from "./engine.js";
import { gliaEngine } from "./glia-engine.js";
import { brian2Engine } from "./brian2-engine.js";
import { emulatorEngine } from "./emulator-engine.js";
import { emulatorSanafeEngine, sanafeEngine } from "./sanafe-engine.js";
import { brian2MicrocircuitEngine, nestMicrocircuitEngine } from "./microcircuit-peers.js";

/** Peers selectable with `--vs` (Brian2: its CUBA/COBA driver and its microcircuit driver). */
export const PEERS: Record<string, () => BenchEngine[]> = {
  brian2: () => [brian2Engine("cpp_standalone"), brian2MicrocircuitEngine()],
};

/** Engines measured besides the glia target and the peer (each decides which configs it applies to). */
export const EXTRA_ENGINES: ReadonlyArray<() => BenchEngine> = [
  () => gliaEngine("wasm", 1), // issue 3: the default's speed-up over one thread (configs run threaded by default)
  () => emulatorEngine("fpga-ultrascale"), // issue 5: emulator speed on CUBA N=4000 (loihi's cores cannot hold it)
  emulatorSanafeEngine, // issue 16: cuba-sanafe, the emulator (the glia row) beside SANA-FE (its peer)
  sanafeEngine,
  nestMicrocircuitEngine, // issue 15: the microcircuit in NEST beside glia and Brian2
];

export function benchEngines(vs: string): BenchEngine[] {
  const peer = PEERS[vs];
  return [gliaEngine("wasm"), ...EXTRA_ENGINES.map((make) => make()), ...(peer ? peer() : [])];
}

/** The repository root, from this file's place: <root>/cli/bench or <root>/dist/cli/bench. */
export const REPO_ROOT: string = repoRoot(fileURLToPath(import.meta.url));

function repoRoot(thisFile: string): string {
  let root = posix.dirname(posix.dirname(posix.dirname(thisFile.split("\\").join("/"))));
  if (posix.basename(root) === "dist") root = posix.dirname(root);
  return root;
}
