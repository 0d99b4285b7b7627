// The SI unit of a recorded variable, for the headers of the result files. In: an IR program; out: a lookup
// (owner = population or projection name, variable) -> the IR's printed dimension ("V", "A", "1"), undefined
// for a name the program does not declare.

import type { IRProgram, IRVar } from "../../compiler/ir/nodes.js";
import type { UnitOf } from "./csv.js";

export function unitsOf(ir: IRProgram): UnitOf {
  const table = new Map<string, string>();
  const add = (owner: string, vars: IRVar[]): void => {
    for (const v of vars) table.set(`${owner}\u0000${v.name}`, v.dim);
  };
  for (const g of ir.groups) add(g.name, [...g.params, ...g.state, ...g.inputs]);
  for (const p of ir.projections) add(p.name, [...p.params, ...p.state]);
  return (owner, variable) => table.get(`${owner}\u0000${variable}`);
}
