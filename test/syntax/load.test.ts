// Program loading: imports (relative, std/, each file once, cycles, missing), entry errors, data files.
import { describe, expect, test } from "@jest/globals";
import { importCandidates, loadProgram, resolvePath, STDLIB_DIR, type SourceHost } from "../../compiler/syntax/load.js";
import { nodeHost } from "../../compiler/syntax/node-host.js";

function memHost(files: Record<string, string>, allowedDirs?: string[]): SourceHost & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    allowedDirs,
    readFile(path: string) {
      reads.push(path);
      return files[path];
    },
  };
}

describe("resolvePath", () => {
  test("relative to the importing file's directory, normalized", () => {
    expect(resolvePath("/p/main.glia", "lib/a.glia")).toBe("/p/lib/a.glia");
    expect(resolvePath("/p/lib/a.glia", "../b.glia")).toBe("/p/b.glia");
    expect(resolvePath("/p/main.glia", "./x/../y.glia")).toBe("/p/y.glia");
    expect(resolvePath("main.glia", "data/s.csv")).toBe("data/s.csv");
    expect(resolvePath("/p/main.glia", "/abs/z.glia")).toBe("/abs/z.glia");
  });
  test("std/ imports try the file's directory first, then the standard library", () => {
    expect(importCandidates("/p/main.glia", "std/static.glia")).toEqual([
      "/p/std/static.glia",
      `${STDLIB_DIR}/static.glia`,
    ]);
  });
  test("STDLIB_DIR is the source tree's compiler/stdlib", () => {
    expect(STDLIB_DIR.endsWith("/compiler/stdlib")).toBe(true);
    expect(STDLIB_DIR.includes("/dist/")).toBe(false);
  });
});

describe("imports", () => {
  test("depth first, entry first, each file once", () => {
    const host = memHost({
      "/p/main.glia": 'import "a.glia"\nimport "lib/b.glia"\nnetwork N { run 1 s }',
      "/p/a.glia": 'import "lib/b.glia"\nneuron A { }',
      "/p/lib/b.glia": 'import "../c.glia"\nneuron B { }',
      "/p/c.glia": "neuron C { }",
    });
    const r = loadProgram("/p/main.glia", host);
    expect(r.diagnostics).toEqual([]);
    expect(r.program.files.map((f) => f.file)).toEqual(["/p/main.glia", "/p/a.glia", "/p/lib/b.glia", "/p/c.glia"]);
    expect([...r.sources.keys()].sort()).toEqual(["/p/a.glia", "/p/c.glia", "/p/lib/b.glia", "/p/main.glia"]);
    expect(host.reads.filter((p) => p === "/p/lib/b.glia")).toHaveLength(1);
  });

  test("a cycle is E0603 at the import that starts it, related: the import that closes it", () => {
    const host = memHost({
      "/p/main.glia": 'import "a.glia"',
      "/p/a.glia": 'neuron A { }\nimport "b.glia"',
      "/p/b.glia": '\n\nimport "a.glia"',
    });
    const r = loadProgram("/p/main.glia", host);
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0603"]);
    const d = r.diagnostics[0]!;
    expect(d.message).toBe("import cycle: /p/a.glia -> /p/b.glia -> /p/a.glia");
    expect([d.span.file, d.span.line, d.span.col]).toEqual(["/p/a.glia", 2, 8]);
    expect([d.related[0]!.span.file, d.related[0]!.span.line, d.related[0]!.span.col]).toEqual(["/p/b.glia", 3, 8]);
    expect(r.program.files.map((f) => f.file)).toEqual(["/p/main.glia", "/p/a.glia", "/p/b.glia"]);
  });

  test("a file importing itself is a cycle", () => {
    const r = loadProgram("/p/a.glia", memHost({ "/p/a.glia": 'import "a.glia"' }));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0603"]);
  });

  test("a missing import is E0602 listing the paths tried", () => {
    const r = loadProgram("/p/main.glia", memHost({ "/p/main.glia": 'neuron A { }\nimport "std/nope.glia"' }));
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["E0602 2:8"]);
    expect(r.diagnostics[0]!.message).toContain("'/p/std/nope.glia'");
    expect(r.diagnostics[0]!.message).toContain(`'${STDLIB_DIR}/nope.glia'`);
  });

  test("std/ resolves to the standard library directory", () => {
    const r = loadProgram(
      "/p/main.glia",
      memHost({ "/p/main.glia": 'import "std/x.glia"', [`${STDLIB_DIR}/x.glia`]: "neuron X { }" }),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.program.files[1]!.models[0]!.name).toBe("X");
  });

  test("the real standard library loads through the node host", () => {
    const host = nodeHost();
    const entry = resolvePath(`${STDLIB_DIR}/x`, "../../test/syntax/virtual.glia"); // not on disk
    const wrapped: SourceHost = { readFile: (p) => (p === entry ? 'import "std/static.glia"' : host.readFile(p)) };
    const r = loadProgram(entry, wrapped);
    expect(r.diagnostics).toEqual([]);
    expect(r.program.files.map((f) => f.models.map((m) => m.name))).toEqual([[], ["Static"]]);
  });

  test("an unreadable entry is E0601 at 1:1 of the entry", () => {
    const r = loadProgram("/p/missing.glia", memHost({}));
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.file}:${d.span.line}:${d.span.col}`)).toEqual([
      "E0601 /p/missing.glia:1:1",
    ]);
    expect(r.program.files).toEqual([]);
  });

  test("syntax errors of imported files are reported with their file", () => {
    const r = loadProgram(
      "/p/main.glia",
      memHost({ "/p/main.glia": 'import "a.glia"', "/p/a.glia": "neuron A { state { x = } }" }),
    );
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.file}`)).toEqual(["E0110 /p/a.glia"]);
  });

  test("the node host reads nothing for directories and missing files", () => {
    const host = nodeHost();
    expect(host.readFile(STDLIB_DIR)).toBeUndefined();
    expect(host.readFile(`${STDLIB_DIR}/does-not-exist.glia`)).toBeUndefined();
    expect(host.readFile(`${STDLIB_DIR}/static.glia`)).toContain("synapse Static");
  });
});

describe("the project tree", () => {
  test("imports and data files outside the entry's directory are E0606 unless the host allows their directory", () => {
    const files = {
      "/p/m/main.glia": 'import "../lib.glia"\nnetwork N { input x = csv_spikes("/q/s.csv")[1] }',
      "/p/lib.glia": "neuron A { }",
      "/q/s.csv": "0,0",
    };
    const closed = loadProgram("/p/m/main.glia", memHost(files));
    expect(closed.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual([
      "E0606 1:8",
      "E0606 2:34",
    ]);
    expect(closed.data.size).toBe(0);
    const open = loadProgram("/p/m/main.glia", memHost(files, ["/p", "/q"]));
    expect(open.diagnostics).toEqual([]);
  });

  test("an import must name a .glia file", () => {
    const r = loadProgram("/p/main.glia", memHost({ "/p/main.glia": 'import "x.csv"', "/p/x.csv": "a,b" }));
    expect(r.diagnostics.map((d) => d.code)).toEqual(["E0606"]);
    expect(r.sources.has("/p/x.csv")).toBe(false);
  });
});

describe("data files", () => {
  const main = [
    "network N {",
    '  input replay = csv_spikes("data/spikes.csv")[10]',
    '  current I of p = csv_current("../cur.csv")',
    '  connect replay -> p with S() csv_list("data/pairs.csv")',
    '  population q = A(w = pick(csv_list("data/spikes.csv")))[1]',
    "  run 1 s",
    "}",
  ].join("\n");

  test("loaded into data keyed by resolved path", () => {
    const r = loadProgram(
      "/p/m/main.glia",
      memHost(
        {
          "/p/m/main.glia": main,
          "/p/m/data/spikes.csv": "t,i\n0,1\n",
          "/p/cur.csv": "t,v\n",
          "/p/m/data/pairs.csv": "i,j\n",
        },
        ["/p"],
      ), // ../cur.csv is outside the entry's directory: allowed as by --allow-path
    );
    expect(r.diagnostics).toEqual([]);
    expect([...r.data.keys()].sort()).toEqual(["/p/cur.csv", "/p/m/data/pairs.csv", "/p/m/data/spikes.csv"]);
    expect(r.data.get("/p/m/data/spikes.csv")).toBe("t,i\n0,1\n");
  });

  test("a missing data file is E0604 at the string", () => {
    const r = loadProgram(
      "/p/m/main.glia",
      memHost({ "/p/m/main.glia": main, "/p/m/data/spikes.csv": "", "/p/cur.csv": "" }, ["/p"]),
    );
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.line}:${d.span.col}`)).toEqual(["E0604 4:41"]);
    expect(r.diagnostics[0]!.message).toBe("cannot read data file '/p/m/data/pairs.csv'");
  });

  test("data files of imported files resolve relative to that file", () => {
    const r = loadProgram(
      "/p/main.glia",
      memHost({
        "/p/main.glia": 'import "sub/net.glia"',
        "/p/sub/net.glia": 'network N { input x = csv_spikes("s.csv")[1] }',
        "/p/sub/s.csv": "0,0",
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect([...r.data.keys()]).toEqual(["/p/sub/s.csv"]);
  });
});
