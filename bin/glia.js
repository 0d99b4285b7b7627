#!/usr/bin/env node
// The glia command. Runs the compiled CLI from dist/ (built by `npm install` through the prepare script).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const entry = new URL("../dist/compiler/cli/main.js", import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write("glia: not built yet; run `npm run build` (npm install does it for you)\n");
  process.exit(2);
}
const { main } = await import(entry.href);
await main();
