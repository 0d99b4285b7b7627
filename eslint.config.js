// ESLint (flat config): typescript-eslint's type-aware recommended rules over the compiler, targets, host runtime,
// CLI and tests, plus the small JavaScript entry points. In: the repository's .ts/.js/.mjs sources (types from
// tsconfig.json); out: `npm run lint`. Formatting is prettier's job (`npm run format:check`): no stylistic rules here.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import globals from "globals";
import tseslint from "typescript-eslint";

export default defineConfig(
  {
    // built, installed or generated; runtime/assembly is AssemblyScript (i32, @inline), not TypeScript
    ignores: [
      "dist/**",
      "out/**",
      "coverage/**",
      "node_modules/**",
      ".venv-peers/**",
      "runtime/build/**",
      "runtime/assembly/**",
    ],
  },
  { linterOptions: { reportUnusedDisableDirectives: "error" } },
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // `xs[i]!` marks an index the code knows is in bounds (noUncheckedIndexedAccess style); TS sees a no-op
      "@typescript-eslint/no-unnecessary-type-assertion": "off",
      // async without await implements Promise-returning interfaces (bench engines, command handlers);
      // no-floating-promises and no-misused-promises catch the real async mistakes
      "@typescript-eslint/require-await": "off",
      // `_name` is the codebase's mark for a parameter or destructured field that is deliberately unused
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrorsIgnorePattern: "^_", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["test/**/*.ts"],
    rules: {
      // tests read JSON.parse output (typed any) and mutate presets into bad specs; the expect() is the check
      "@typescript-eslint/no-explicit-any": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-call": "off",
      "@typescript-eslint/no-unsafe-member-access": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    // bin/glia.js, runtime/build.mjs, jest and eslint configs: plain Node scripts outside tsconfig.json
    files: ["**/*.js", "**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: globals.node },
  },
);
