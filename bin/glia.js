#!/usr/bin/env node
// The glia command. Runs the compiled CLI from dist/ (built by `npm install` through the prepare script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("glia: not built yet; run `npm run build` (npm install does it for you)\n");
  process.exit(2);
}
// run/bench/emulate run in a child Node with memory settings (cli/relaunch.ts); this process only waits for it
const { endLike, forgetRelaunchEnv, relaunch } = await import(new URL("../dist/cli/relaunch.js", import.meta.url).href);
const child = relaunch(fileURLToPath(import.meta.url), process.argv.slice(2));
if (child !== null) {
  endLike(await child);
} else {
  forgetRelaunchEnv();
  await runHere();
}

async function runHere() {
  // V8 tiers, set before binaryen's wasm is compiled (see runtime/host/node-compile.ts)
  const tiers = await import(new URL("../dist/runtime/host/node-compile.js", import.meta.url).href);
  tiers.keepBaselineModulesInBaseline();
  tiers.useOptimizingTier();
  const { main } = await import(entry.href);
  await main();
}
