// The expression environment of network items: constants, `i`/`j` in connect arguments, mod.X of
// earlier modulators, rate(POP) and mean(POP.var) in modulators. In: a NetContext; out: an ExprEnv.

import { Diagnostics, type Related } from "../diagnostics/diagnostic.js";
import { DIM, DIMENSIONLESS, closest, type Dim } from "../units/units.js";
import {
  ERR,
  inferExpr,
  num,
  type CallExpr,
  type ExprEnv,
  type ExprWhere,
  type MemberExpr,
  type NameExpr,
  type Ty,
} from "./dims.js";
import type { NetContext } from "./context.js";
import { ELEMENT_NAMES, ModelEnv } from "./model-env.js";
import type { Expr } from "../syntax/ast.js";

export interface NetWhere extends ExprWhere {
  /** `i` and `j` (pre and post index) are visible: connect arguments and delays. */
  indices: boolean;
  /** Population arguments: `i` (element index), `N` (population size) and the parameters of this model
   *  (their values in this population) are visible. */
  population?: ModelEnv;
  /** Input generator arguments (Poisson rates): `i` (element index) and `N` (source size) are visible. */
  element?: boolean;
  /** Population arguments: the population size (a csv_column argument has one value per element). */
  size?: number;
}

export class NetEnv implements ExprEnv {
  where: NetWhere = { distributions: false, modulator: false, indices: false };
  readonly related: Related[] = [];

  constructor(
    readonly net: NetContext,
    readonly diags: Diagnostics,
    /** Modulators declared so far (mod.X may only read earlier ones). */
    readonly modulators: Map<string, Dim | undefined>,
  ) {}

  infer(e: Expr, where: Partial<NetWhere> = {}): Ty {
    const saved = this.where;
    this.where = { distributions: false, modulator: false, indices: false, ...where };
    try {
      return inferExpr(e, this);
    } finally {
      this.where = saved;
    }
  }

  resolveName(e: NameExpr): Ty | undefined {
    if (this.where.indices && (e.name === "i" || e.name === "j")) return num(DIMENSIONLESS);
    if (this.where.element && ELEMENT_NAMES.includes(e.name)) return num(DIMENSIONLESS);
    const pop = this.where.population;
    if (pop) {
      const sym = pop.symbols.byName.get(e.name);
      if (sym?.kind === "parameter") return pop.symbolTy(sym);
      if (ELEMENT_NAMES.includes(e.name)) return num(DIMENSIONLESS);
    }
    return undefined;
  }

  candidates(): Iterable<string> {
    const pop = this.where.population;
    const params = pop ? [...pop.symbols.byName.values()].filter((s) => s.kind === "parameter").map((s) => s.name) : [];
    return [...(this.where.indices ? ["i", "j"] : []), ...(pop || this.where.element ? ELEMENT_NAMES : []), ...params];
  }

  constant(): number | undefined {
    return undefined;
  }

  resolveMember(e: MemberExpr): Ty {
    const obj = e.object;
    if (obj === "mod") {
      if (!this.modulators.has(e.name)) {
        const near = closest(e.name, this.modulators.keys());
        this.diags.error("E0514", e.nameSpan, `unknown modulator \`${e.name}\``, {
          hint: near ? `did you mean \`mod.${near}\`?` : "a modulator can only read modulators declared before it",
        });
        return ERR;
      }
      return num(this.modulators.get(e.name));
    }
    if (typeof obj === "object" && this.where.modulator) {
      this.diags.error(
        "E0408",
        e.span,
        `\`${obj.population}.${e.name}\` is a per-element value; use mean(${obj.population}.${e.name})`,
      );
      return ERR;
    }
    const label = typeof obj === "object" ? obj.population : obj;
    this.diags.error("E0408", e.objectSpan, `\`${label}.\` is not available in network expressions`);
    return ERR;
  }

  resolveModulatorCall(e: CallExpr): Ty {
    if (e.args.length !== 1 || e.args[0]!.name !== undefined) {
      this.diags.error("E0208", e.span, `\`${e.callee}\` takes one positional argument`);
      return ERR;
    }
    const arg = e.args[0]!.value;
    if (e.callee === "rate") {
      if (arg.kind !== "Name") {
        this.diags.error("E0206", arg.span, "rate() takes a population name: rate(exc)");
        return ERR;
      }
      if (!this.lookupPop(arg.name, arg.span)) return ERR;
      return num(DIM.frequency);
    }
    if (arg.kind !== "Member" || typeof arg.object !== "object") {
      this.diags.error("E0207", arg.span, "mean() takes a population variable: mean(exc.v)");
      return ERR;
    }
    const pop = this.lookupPop(arg.object.population, arg.objectSpan);
    if (!pop) return ERR;
    if (!pop.model) {
      this.diags.error("E0207", arg.span, `${pop.name} is an input source and has no variables`);
      return ERR;
    }
    const syms = this.net.ctx.info.symbols.get(pop.model);
    const sym = syms?.byName.get(arg.name);
    if (!syms || !sym) {
      const near = syms ? closest(arg.name, syms.byName.keys()) : undefined;
      this.diags.error(
        "E0207",
        arg.nameSpan,
        `model ${pop.model.name} (population ${pop.name}) has no variable \`${arg.name}\``,
        {
          hint: near ? `did you mean \`${pop.name}.${near}\`?` : undefined,
        },
      );
      return ERR;
    }
    return new ModelEnv(syms, new Diagnostics(), this.net.ctx.info).symbolTy(sym);
  }

  private lookupPop(name: string, span: MemberExpr["span"]) {
    const pop = this.net.pops.get(name);
    if (!pop) {
      const near = closest(name, this.net.pops.keys());
      this.diags.error("E0206", span, `unknown population \`${name}\``, {
        hint: near ? `did you mean \`${near}\`?` : undefined,
      });
    }
    return pop;
  }
}
