// The generated hostile suite (issue 17): garbage, truncations of every example, deep nesting, long expressions,
// huge and tiny numbers in every numeric slot, import cycles and links, and CLI misuse (test/hostile/suite/), run
// in-process. Every case must answer within its time budget with exit 0, 1 or 2, never a stack trace; each case's
// outcome (exit code and error codes, or the usage message) must equal the recorded one in suite/expected.json
// (UPDATE_HOSTILE=1 rewrites it: review the diff), truncations must meet their own rule, and the last tests assert
// that no case of the whole suite reached exit 70 (an internal error), in-process and, for a sample, through
// bin/glia.js (npm run build first).
import { afterAll, beforeAll, describe, expect, test } from "@jest/globals";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../helpers/dir-host.js";
import {
  EXAMPLE_ENTRY,
  garbageCases,
  longCases,
  nestingCases,
  numberCases,
  truncationCases,
  type SourceCase,
} from "./suite/source-cases.js";
import { cliCases, importCases, type DiskCase } from "./suite/disk-cases.js";
import { prepare, runBinary, runDiskCase, runSourceCase, type Result } from "./suite/run-case.js";

const EXPECTED_FILE = path.join(REPO_ROOT, "test/hostile/suite/expected.json");
const UPDATE = process.env.UPDATE_HOSTILE === "1";
const expected = JSON.parse(fs.readFileSync(EXPECTED_FILE, "utf8")) as Record<string, string>;
/** A case's budget in CPU milliseconds (of this process: load from elsewhere does not count): every case takes
 *  well under a second of CPU on an idle machine; the issue calls 60 s a hang. */
const CASE_CPU_MS = 20_000;

const results = new Map<string, Result>();
const recorded: Record<string, string> = {};
let tmp: string;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "glia-hostile-suite-"));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  if (UPDATE) fs.writeFileSync(EXPECTED_FILE, `${JSON.stringify(recorded, null, 2)}\n`);
});

/** Problems common to every case: exit 70 or a verifier failure (E0701: a compiler bug), a stack trace, an exit
 *  code other than 0/1/2, an exit 1 without a code. */
function invariantProblems(key: string, r: Result): string[] {
  const p: string[] = [];
  if (r.exit === 70 || /internal error|error\[E0701\]/.test(r.stderr))
    p.push(`${key}: internal error: ${r.stderr.slice(0, 300)}`);
  else if (![0, 1, 2].includes(r.exit)) p.push(`${key}: exit ${r.exit}`);
  if (/\n\s+at .*(\.ts|\.js):\d+/.test(r.stderr)) p.push(`${key}: stack trace on stderr`);
  if (r.exit === 1 && !/error\[E\d{4}\]/.test(r.stderr)) p.push(`${key}: exit 1 without a diagnostic code`);
  if (r.cpuMs > CASE_CPU_MS) p.push(`${key}: took ${r.cpuMs.toFixed(0)} ms of CPU`);
  return p;
}

/** Runs every case of a group, checks the invariants and the recorded outcomes; returns the problems. */
async function runGroup(cases: (SourceCase | DiskCase)[], recordedOutcome = true): Promise<string[]> {
  const problems: string[] = [];
  for (const [i, c] of cases.entries()) {
    const key = `${c.group}: ${c.name}`;
    expect(results.has(key)).toBe(false); // names are unique
    const r = "files" in c ? await runSourceCase(c) : await runDiskCase(c, prepare(c, path.join(tmp, c.group), i));
    results.set(key, r);
    problems.push(...invariantProblems(key, r));
    if (!recordedOutcome) continue;
    recorded[key] = r.outcome;
    if (!UPDATE && expected[key] !== r.outcome)
      problems.push(`${key}: expected '${expected[key]}', got '${r.outcome}'`);
  }
  return problems;
}

describe("generated hostile suite", () => {
  test("garbage text: diagnostics (E01xx) or, for blank input, ok / E0515", async () => {
    expect(await runGroup(garbageCases())).toEqual([]);
  });

  test("truncations of every example at every line and at seeded points: open brackets are E01xx, closed check", async () => {
    const cases = truncationCases();
    expect(cases.length).toBeGreaterThan(1000);
    const problems = await runGroup(cases, false);
    for (const c of cases) {
      const r = results.get(`${c.group}: ${c.name}`)!;
      const codes = [...r.stderr.matchAll(/error\[(E\d{4})\]/g)].map((m) => m[1]!);
      // a prefix left inside a bracket is a syntax error, and only that (the checker does not run on it)
      if (c.depth > 0 && !(r.exit === 1 && codes.length > 0 && codes.every((x) => x.startsWith("E01"))))
        problems.push(`${c.name}: open at depth ${c.depth}, got exit ${r.exit} ${codes.join(" ")}`);
      // a prefix cut at a line end between top-level items (no open bracket, not mid-line) checks
      if (c.depth === 0 && c.files[EXAMPLE_ENTRY]!.endsWith("\n") && r.exit !== 0)
        problems.push(`${c.name}: closed prefix, got exit ${r.exit} ${codes.join(" ")}`);
    }
    expect(problems.slice(0, 20)).toEqual([]);
  });

  test("deep nesting: E0118 past the limit, the same answers below it", async () => {
    expect(await runGroup(nestingCases())).toEqual([]);
  });

  test("long expressions and many items: they work or are diagnosed, in linear time", async () => {
    expect(await runGroup(longCases())).toEqual([]);
  });

  test("huge and tiny numbers in every numeric slot", async () => {
    expect(await runGroup(numberCases())).toEqual([]);
  });

  test("import cycles, links, link loops and non-files", async () => {
    expect(await runGroup(importCases())).toEqual([]);
  });

  test("CLI misuse: usage errors (exit 2) and diagnostics (exit 1) with the path", async () => {
    expect(await runGroup(cliCases())).toEqual([]);
  });

  test("every recorded case was run (expected.json has no stale entries)", () => {
    if (UPDATE) return;
    expect(Object.keys(expected).filter((k) => !results.has(k))).toEqual([]);
  });
});

describe("the hostile suite never reaches exit 70", () => {
  test("in-process: no case of the whole suite was an internal error", () => {
    expect(results.size).toBeGreaterThan(1500);
    const slowest = Math.max(...[...results.values()].map((r) => r.cpuMs));
    process.stdout.write(
      `hostile suite: ${results.size} cases in-process, ${[...results.values()].filter((r) => r.exit === 70).length} exit 70, ` +
        `slowest ${(slowest / 1000).toFixed(1)} s of CPU, peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`,
    );
    const internal = [...results].filter(([, r]) => r.exit === 70 || /internal error|error\[E0701\]/.test(r.stderr));
    expect(internal.map(([k]) => k)).toEqual([]);
  });

  test("through bin/glia.js: a sample of every group, the same exit code as in-process, none 70", () => {
    const sample: (SourceCase | DiskCase)[] = [
      ...garbageCases().filter((_, i) => i % 12 === 0),
      ...truncationCases().filter((_, i) => i % 400 === 0),
      ...nestingCases().filter((c) => /^(parens|power|nested ifs).* 10000$|else-if chain 20000/.test(c.name)),
      ...longCases().filter((c) => /20,000 terms|200,000/.test(c.name)),
      ...numberCases().filter((c) => /^(dt|size|delay|tau) = (1e-400|1e12)( |$)|^p = 4.9e-324/.test(c.name)),
      ...importCases().filter((c) => /link to itself|entry is a FIFO|cycle of two/.test(c.name)),
      ...cliCases().filter((c) =>
        /^unknown flag$|-o a directory|--hw a directory$|--out \/dev\/null|run --duration '1e20'/.test(c.name),
      ),
    ];
    expect(sample.length).toBeGreaterThan(20);
    const problems: string[] = [];
    for (const [i, c] of sample.entries()) {
      const key = `${c.group}: ${c.name}`;
      const dir = path.join(tmp, "bin", `c${i}`);
      fs.mkdirSync(dir, { recursive: true });
      const r =
        "files" in c
          ? runBinary(c.argv, dir, c.files)
          : runBinary(c.argv(prepare(c, path.join(tmp, "bin-disk"), i)), dir);
      // the exit code recorded for the case, else the one in-process (when that test ran in this file's run)
      const want = expected[key] !== undefined ? Number(expected[key].split(" ")[0]) : results.get(key)?.exit;
      if (r.exit === 70 || r.exit < 0) problems.push(`${key}: exit ${r.exit} ${r.stderr.slice(0, 200)}`);
      else if (want !== undefined && r.exit !== want) problems.push(`${key}: exit ${r.exit}, in-process ${want}`);
    }
    expect(problems).toEqual([]);
  }, 600_000);
});
