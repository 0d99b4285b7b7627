// Output files on disk, checked before any work and written so a failure never leaves half a file. In: an output
// path (a file, or a directory of files), the program's sources; out: an error message naming the path (reported
// as E0607), or the file written to a temporary name in its directory and renamed over the target.

import * as fs from "node:fs";
import * as path from "node:path";
import { fsErrorText } from "../compiler/syntax/node-host.js";

/** A file that could not be written; the CLI reports it as E0607 on `path`. */
export class OutputError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

/** Creates `dir` (and missing parents, one level at a time: a recursive mkdir can spin under /proc) and checks that
 *  a file can be created in it. Undefined when usable, else why not. */
export function prepareOutputDir(dir: string): string | undefined {
  const st = statOrError(dir);
  if (typeof st === "string") {
    if (!st.startsWith("ENOENT")) return `cannot use output directory '${dir}': ${st}`;
    const parent = path.dirname(dir);
    if (parent !== dir) {
      const bad = prepareOutputDir(parent);
      if (bad !== undefined) return bad;
    }
    try {
      fs.mkdirSync(dir);
    } catch (err) {
      return `cannot create output directory '${dir}': ${fsErrorText(err)}`;
    }
  } else if (!st.isDirectory()) {
    return `output directory '${dir}' exists and is not a directory`;
  }
  // a probe file: permissions, read-only and pseudo file systems all show here, before any work
  const probe = path.join(dir, `.glia-probe-${process.pid}`);
  try {
    fs.writeFileSync(probe, "");
    fs.unlinkSync(probe);
  } catch (err) {
    return `cannot write in output directory '${dir}': ${fsErrorText(err)}`;
  }
  return undefined;
}

/** Checks that `file` can be written: not a directory, not one of `sources`, its directory usable. */
export function prepareOutputFile(file: string, sources: Iterable<string>): string | undefined {
  const target = realOrResolved(file);
  for (const s of sources) {
    if (realOrResolved(s) === target)
      return `output '${file}' is one of the program's sources; refusing to overwrite it`;
  }
  const st = statOrError(file);
  if (typeof st !== "string") {
    if (st.isDirectory()) return `output '${file}' is a directory (EISDIR); give a file name`;
    if (!st.isFile() && !st.isCharacterDevice() && !st.isFIFO())
      return `output '${file}' exists and is not a regular file`;
    if (!st.isFile()) return undefined; // /dev/null, a pipe: written in place
  } else if (!st.startsWith("ENOENT")) {
    return `cannot use output '${file}': ${st}`;
  }
  return prepareOutputDir(path.dirname(file) || ".");
}

/** Writes `content` to `file`: through a temporary file in the same directory renamed over it (a device or pipe is
 *  written in place). Throws OutputError on failure, leaving the old file (if any) untouched. */
export function writeOutputFile(file: string, content: string | Uint8Array): void {
  const bad = prepareOutputFile(file, []);
  if (bad !== undefined) throw new OutputError(file, bad);
  const st = statOrError(file);
  if (typeof st !== "string" && !st.isFile()) {
    try {
      fs.writeFileSync(file, content);
    } catch (err) {
      throw new OutputError(file, `cannot write '${file}': ${fsErrorText(err)}`);
    }
    return;
  }
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, content);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw new OutputError(file, `cannot write '${file}': ${fsErrorText(err)}`);
  }
}

function statOrError(p: string): fs.Stats | string {
  try {
    return fs.statSync(p);
  } catch (err) {
    return fsErrorText(err);
  }
}

/** `p` with links resolved when it exists, else made absolute (what two names of one file compare as). */
function realOrResolved(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
