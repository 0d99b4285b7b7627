// jest: TypeScript through @swc/jest (types are checked by `npm run typecheck`), ESM throughout.
// One worker per core, at least two: most of the suite's time is spent waiting on Python peers and NESTML builds in
// child processes, and jest's default (cores - 1) runs in band on a 2-core machine. Scripts that share the NESTML
// module cache take a lock before building (targets/export/nest/script-python.ts).
import * as os from "node:os";

export default {
  maxWorkers: Math.max(2, os.availableParallelism()),
  testEnvironment: "node",
  roots: ["<rootDir>/test"],
  testMatch: ["**/*.test.ts"],
  extensionsToTreatAsEsm: [".ts"],
  moduleNameMapper: { "^(\\.{1,2}/.*)\\.js$": "$1" },
  transform: {
    "^.+\\.ts$": [
      "@swc/jest",
      { jsc: { target: "es2022", parser: { syntax: "typescript" } }, module: { type: "es6" } },
    ],
  },
  testTimeout: 120000,
  globalSetup: "<rootDir>/test/peers/global-setup.mjs",
};
