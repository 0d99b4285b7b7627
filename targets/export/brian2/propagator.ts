// glia's exact propagator as a Brian2 state updater, for the linear systems Brian2's `exact` cannot solve. In: a
// group in continuous form (its equations) and the same group after the passes (its `update`, with glia's numbers
// P and Q of x_new = P x + Q b); out: whether Brian2's solver fails on it, and a Python function usable as
// `method=` that returns glia's update as Brian2 abstract code.
//
// Brian2's `exact` (LinearStateUpdater) first solves M x + B = 0 for the fixed point; a singular M (a pure
// integrator such as `bias' = eta (rho0 - r_est)` in examples/reservoir_homeostasis.glia) has none, and Brian2
// stops with "Cannot solve the given equations". glia's propagator (compiler/passes/expm.ts) needs no fixed point,
// so for those groups the script integrates with glia's own P and Q over the group's step, read from the discrete
// IR: the same numbers and the same operations as glia's reference.

import type { IRGroup, IRStmt } from "../../../compiler/ir/nodes.js";
import { mentions } from "../../../compiler/ir/expr.js";
import { affine } from "../../../compiler/passes/linear.js";
import { bindParams, constantParams } from "../../../compiler/passes/fold.js";
import { inlineGroupAliases } from "../../../compiler/passes/inline-aliases.js";
import { simplify } from "../../../compiler/passes/rules.js";
import { brian2Expr, type NameScope } from "./expr.js";
import { pyName } from "./script.js";

/** The matrix M of x' = M x + b over the group's ODEs with every parameter bound; undefined when a coefficient is
 *  not a number (glia then does not integrate the group exactly). */
function linearMatrix(g0: IRGroup): number[][] | undefined {
  const g = inlineGroupAliases(g0);
  const env = constantParams(g.params);
  const names = g.odes.map((o) => o.name);
  const set = new Set(names);
  const M: number[][] = [];
  for (const o of g.odes) {
    const aff = affine(simplify(bindParams(o.rhs, env)), set);
    if (!aff) return undefined;
    const row: number[] = [];
    for (const y of names) {
      const c = aff.coeffs.get(y);
      if (c && c.k !== "num") return undefined;
      row.push(c ? c.v : 0);
    }
    M.push(row);
  }
  return M;
}

/** Whether M is singular (Gaussian elimination with partial pivoting, relative tolerance 1e-12). */
function singular(M: readonly (readonly number[])[]): boolean {
  const a = M.map((r) => [...r]);
  const n = a.length;
  const scale = Math.max(...a.flat().map(Math.abs), 0);
  if (scale === 0) return n > 0;
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(a[r]![c]!) > Math.abs(a[p]![c]!)) p = r;
    if (Math.abs(a[p]![c]!) <= 1e-12 * scale) return true;
    [a[c], a[p]] = [a[p]!, a[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = a[r]![c]! / a[c]![c]!;
      for (let k = c; k < n; k++) a[r]![k]! -= f * a[c]![k]!;
    }
  }
  return false;
}

/** True when Brian2's `exact` solver cannot solve the group's linear system (M singular: no fixed point). */
export function brian2CannotSolve(g: IRGroup): boolean {
  // white noise (glia's exact Ornstein-Uhlenbeck increment) is left to Brian2's own stochastic methods
  if (g.odes.length === 0 || g.odes.some((o) => mentions(o.rhs, (r) => r.space === "noise"))) return false;
  const M = linearMatrix(g);
  return M !== undefined && singular(M);
}

const localName = (n: string): string => `_${n.replace(/__/g, "_")}`;

/** The Python function (named `glia_exact_GROUP`) returning glia's update of `discrete` as Brian2 abstract code:
 *  literals in SI without units (state updater code is not unit-checked), `flag.refractory` as Brian2's
 *  `not not_refractory`. */
export function propagatorUpdater(cont: IRGroup, discrete: IRGroup): { name: string; code: string[] } {
  const scope: NameScope = {
    name: (r) => {
      if (r.space === "local") return localName(r.name);
      if (r.space === "flag") return r.name === "refractory" ? "(not not_refractory)" : undefined;
      if (r.space === "t" || r.space === "dt") return r.space;
      return pyName(r.name);
    },
    dim: () => undefined,
  };
  const lines: string[] = [];
  const emit = (stmts: readonly IRStmt[]): void => {
    for (const s of stmts) {
      if (s.k === "let") lines.push(`${localName(s.name)} = ${brian2Expr(s.value, scope)}`);
      else if (s.k === "assign") lines.push(`${scope.name(s.target)} = ${brian2Expr(s.value, scope)}`);
      else throw new Error(`internal: a branch in the exact update of ${cont.name}`);
    }
  };
  emit(discrete.update);
  const name = `glia_exact_${cont.name}`;
  const vars = cont.odes.map((o) => o.name).join(", ");
  const code = [
    `def ${name}(equations, variables, method_options=None):`,
    `    """glia's exact propagator for ${cont.name} (x_new = P x + Q b over one step, P = expm(M h), with glia's`,
    `    numbers): Brian2's \`exact\` cannot solve this linear system (${vars}), its matrix is singular."""`,
    `    return """`,
    ...lines.map((l) => `${l}`),
    `"""`,
  ];
  return { name, code };
}
