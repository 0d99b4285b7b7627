// glia in a browser: targets/driver/browser.ts bundles for the browser platform with no Node built-in (esbuild
// fails on any it cannot resolve), and, where Debian's Chromium is installed, compiles and runs CUBA in a
// headless page with the same spikes as the Node wasm target (skipped, with the reason, without Chromium).
import { describe, expect, it } from "@jest/globals";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as esbuild from "esbuild";
import { compile } from "../../compiler/pipeline.js";
import { wasmTarget } from "../../targets/wasm/index.js";
import { dirHost, REPO_ROOT } from "../helpers/dir-host.js";

const CHROMIUM = process.env.GLIA_CHROMIUM ?? "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const RUNTIME = join(REPO_ROOT, "runtime/build/glia-runtime.wasm");

/** The same options as `npm run build:browser` (package.json). */
async function bundle(outfile?: string): Promise<esbuild.BuildResult & { metafile: esbuild.Metafile }> {
  return esbuild.build({
    entryPoints: [join(REPO_ROOT, "targets/driver/browser.ts")],
    bundle: true,
    format: "esm",
    platform: "browser",
    alias: { "node:path": "path-browserify" },
    external: ["node:module"],
    metafile: true,
    logLevel: "silent",
    ...(outfile ? { outfile } : { write: false, outfile: "glia.js" }),
  });
}

describe("browser build", () => {
  it("bundles for the browser: no Node built-in and none of the Node-only files", async () => {
    const r = await bundle();
    expect(r.errors).toEqual([]);
    const inputs = Object.keys(r.metafile.inputs);
    for (const nodeOnly of ["host-run.ts", "threads.ts", "node-bytes.ts", "node-host.ts"]) {
      expect(inputs.filter((p) => p.endsWith(nodeOnly))).toEqual([]);
    }
    expect(inputs.some((p) => p.endsWith("targets/wasm/simulate.ts"))).toBe(true);
    expect(inputs.some((p) => p.endsWith("runtime/host/load.ts"))).toBe(true);
    // the one external left is binaryen's own Node branch (import("node:module") behind its environment check)
    const imports = Object.values(r.metafile.outputs)[0]!
      .imports.filter((i) => i.external)
      .map((i) => i.path);
    expect([...new Set(imports)]).toEqual(["node:module"]);
  }, 60000);

  (hasChromium ? it : it.skip)(
    `compiles and runs CUBA in headless Chromium with the Node wasm target's spikes${hasChromium ? "" : ` (skipped: no Chromium at ${CHROMIUM}; apt-get install chromium)`}`,
    async () => {
      const { chromium } = await import("playwright-core");
      const dir = mkdtempSync(join(tmpdir(), "glia-browser-"));
      try {
        await bundle(join(dir, "glia.js"));
        const code = readFileSync(join(dir, "glia.js"));
        const runtime = readFileSync(RUNTIME);
        const stdlibDir = join(REPO_ROOT, "compiler/stdlib");
        const stdlib = Object.fromEntries(
          readdirSync(stdlibDir)
            .filter((f) => f.endsWith(".glia"))
            .map((f) => [f, readFileSync(join(stdlibDir, f), "utf8")]),
        );
        const files = { "/examples/cuba.glia": readFileSync(join(REPO_ROOT, "examples/cuba.glia"), "utf8") };
        const duration = 0.2;

        const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox"] });
        try {
          const page = await browser.newPage();
          const pageErrors: string[] = [];
          page.on("pageerror", (e) => pageErrors.push(e.message));
          await page.route("http://glia.test/**", (route) => {
            const path = new URL(route.request().url()).pathname;
            if (path === "/glia.js") return route.fulfill({ body: code, contentType: "text/javascript" });
            if (path === "/glia-runtime.wasm") return route.fulfill({ body: runtime, contentType: "application/wasm" });
            return route.fulfill({ body: "<!doctype html><title>glia</title>", contentType: "text/html" });
          });
          await page.goto("http://glia.test/index.html");
          const out = await page.evaluate(
            async ({ files, stdlib, duration }) => {
              const runtimeBytes = new Uint8Array(await (await fetch("/glia-runtime.wasm")).arrayBuffer());
              const glia = await import("/glia.js" as string);
              const r = glia.runInBrowser({
                files,
                stdlib,
                entry: "/examples/cuba.glia",
                runtimeBytes,
                options: { duration },
              });
              if (!r.ok) return { ok: false, diagnostics: r.diagnostics };
              const s = r.result.spikes as Record<string, { steps: Int32Array; indices: Int32Array }>;
              return {
                ok: true,
                populations: r.result.populations,
                synapses: r.result.synapses,
                events: r.result.synapticEvents,
                spikes: Object.fromEntries(
                  Object.entries(s).map(([k, v]) => [
                    k,
                    { steps: Array.from(v.steps), indices: Array.from(v.indices) },
                  ]),
                ),
                nodeOnly: typeof (globalThis as { process?: unknown }).process,
              };
            },
            { files, stdlib, duration },
          );
          expect(pageErrors).toEqual([]);
          expect(out).toMatchObject({ ok: true, nodeOnly: "undefined" });

          const ir = compile(join(REPO_ROOT, "examples/cuba.glia"), dirHost(REPO_ROOT)).ir!;
          const node = wasmTarget.run(ir, { duration }).result!;
          expect(out.populations).toEqual(node.populations);
          expect(out.synapses).toBe(node.synapses);
          expect(out.events).toBe(node.synapticEvents);
          for (const [pop, sp] of Object.entries(node.spikes)) {
            expect(out.spikes![pop]!.steps).toEqual(Array.from(sp.steps));
            expect(out.spikes![pop]!.indices).toEqual(Array.from(sp.indices));
          }
          expect(node.spikesTotal).toBeGreaterThan(1000);
        } finally {
          await browser.close();
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    180000,
  );
});
