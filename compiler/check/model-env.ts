// The expression environment of one model, optionally instantiated by a population or a connect:
// resolves names (declarations, aliases, `let` locals) and members (pre./post./astro./mod.) to types.
// In: the model's symbols, program info, an optional Instance; out: an ExprEnv for inferExpr.

import type { Expose, ModelDef } from "../syntax/ast.js";
import { Diagnostics, type Related } from "../diagnostics/diagnostic.js";
import type { Span } from "../diagnostics/span.js";
import { DIMENSIONLESS, closest, evalUnit, type Dim } from "../units/units.js";
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
import { constValue } from "./const-value.js";
import type { ModelSymbol, ModelSymbols } from "./scope.js";
import { namesIn } from "./walk.js";

/** What the checker knows about the whole program while checking one model. */
export interface ProgramInfo {
  models: Map<string, ModelDef>;
  symbols: Map<ModelDef, ModelSymbols>;
  /** Network modulators and their dimensions; undefined when the program has no network. */
  modulators?: Map<string, Dim | undefined>;
}

/** The neuron (or source) on one side of a projection. model undefined: an input source. */
export interface PeerBinding {
  population: string;
  model?: ModelDef;
}

/** A population or connect that instantiates a model: generic dims and the models around a synapse. */
export interface Instance {
  /** Dimensions of parameters given as arguments (generic parameters take these). */
  generic: Map<string, Dim | undefined>;
  pre?: PeerBinding;
  post?: PeerBinding;
  /** The `onto` variable that post.target stands for. */
  onto?: string;
  /** The astrocyte model ensheathing the projection; null when none does. */
  astro?: { population: string; model: ModelDef } | null;
  /** The projection's name for messages. */
  label: string;
  related: Related[];
}

const DEFAULT_WHERE: ExprWhere = { distributions: false, modulator: false };

/** The element index and the population size, readable in initial values and population arguments, and in
 *  a neuron's or astrocyte's equations, spike condition, reset and handlers. */
export const ELEMENT_NAMES: readonly string[] = ["i", "N"];
/** The pre and post element indices of a synapse, readable in its equations and handlers (as in connect). */
export const SYNAPSE_INDEX_NAMES: readonly string[] = ["i", "j"];

/** Dimensions of declarations and aliases, shared by every view of one (model, instance). */
interface DimCache {
  done: Map<string, Ty>;
  busy: Set<string>;
}

export class ModelEnv implements ExprEnv {
  where: ExprWhere = DEFAULT_WHERE;
  readonly related: Related[];
  private readonly locals: Map<string, Ty>[] = [];

  constructor(
    readonly symbols: ModelSymbols,
    readonly diags: Diagnostics,
    readonly info: ProgramInfo,
    readonly instance?: Instance,
    private readonly cache: DimCache = { done: new Map(), busy: new Set() },
  ) {
    this.related = instance?.related ?? [];
  }

  get model(): ModelDef {
    return this.symbols.model;
  }

  /** A view that shares the dimension cache but reports into a throwaway list and has no locals. */
  private quiet(): ModelEnv {
    return new ModelEnv(this.symbols, new Diagnostics(), this.info, this.instance, this.cache);
  }

  withWhere<T>(where: ExprWhere, f: () => T): T {
    const saved = this.where;
    this.where = where;
    try {
      return f();
    } finally {
      this.where = saved;
    }
  }

  infer(e: Parameters<typeof inferExpr>[0], where: ExprWhere = DEFAULT_WHERE): Ty {
    return this.withWhere(where, () => inferExpr(e, this));
  }

  // ------------------------------------------------------------ locals
  pushBlock(): void {
    this.locals.push(new Map());
  }
  popBlock(): void {
    this.locals.pop();
  }
  declareLocal(name: string, ty: Ty): void {
    this.locals[this.locals.length - 1]?.set(name, ty);
  }
  lookupLocal(name: string): Ty | undefined {
    for (let i = this.locals.length - 1; i >= 0; i--) {
      const hit = this.locals[i]!.get(name);
      if (hit) return hit;
    }
    return undefined;
  }

  // ------------------------------------------------------------ names
  resolveName(e: NameExpr): Ty | undefined {
    const local = this.lookupLocal(e.name);
    if (local) return local;
    const sym = this.symbols.byName.get(e.name);
    if (sym) return this.symbolTy(sym);
    if (this.elementNames().includes(e.name)) return num(DIMENSIONLESS);
    return undefined;
  }

  /** Neurons and astrocytes read i and N anywhere; synapses read i and j outside initial values. */
  private elementNames(): readonly string[] {
    if (this.model.modelKind !== "synapse") return ELEMENT_NAMES;
    return this.where.distributions ? [] : SYNAPSE_INDEX_NAMES;
  }

  candidates(): Iterable<string> {
    return [...this.symbols.byName.keys(), ...this.locals.flatMap((m) => [...m.keys()]), ...this.elementNames()];
  }

  /** The type of a declared name: its annotation, else its value's, else generic/dimensionless. */
  symbolTy(sym: ModelSymbol): Ty {
    const hit = this.cache.done.get(sym.name);
    if (hit) return hit;
    if (this.cache.busy.has(sym.name)) return num(undefined); // a cycle, reported by the alias rule
    // the names its value reads first, deepest first, so that no lookup recurses through a chain of declarations
    // or aliases (`a1 = a2`, `a2 = a3`, ... 10,000 long used to exhaust the stack)
    const order = this.uncachedDeps(sym);
    for (const s of order) this.cache.busy.add(s.name);
    for (const s of order) {
      const ty = this.computeTy(s);
      this.cache.busy.delete(s.name);
      this.cache.done.set(s.name, ty);
    }
    return this.cache.done.get(sym.name)!;
  }

  /** `sym` and the uncached names its value reads, transitively, each after the names it reads (iterative). */
  private uncachedDeps(sym: ModelSymbol): ModelSymbol[] {
    const deps = (s: ModelSymbol): string[] => {
      if (s.decl?.unit ?? s.alias?.unit) return []; // an annotation decides without reading the value
      const value = s.decl?.value ?? s.alias?.value;
      return value ? [...new Set(namesIn(value))] : [];
    };
    const order: ModelSymbol[] = [];
    const seen = new Set<string>([sym.name]);
    const stack: { sym: ModelSymbol; deps: string[]; next: number }[] = [{ sym, deps: deps(sym), next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.deps.length) {
        stack.pop();
        order.push(top.sym);
        continue;
      }
      const name = top.deps[top.next++]!;
      const dep = this.symbols.byName.get(name);
      if (!dep || seen.has(name) || this.cache.done.has(name) || this.cache.busy.has(name)) continue;
      seen.add(name);
      stack.push({ sym: dep, deps: deps(dep), next: 0 });
    }
    return order;
  }

  private computeTy(sym: ModelSymbol): Ty {
    const unit = sym.decl?.unit ?? sym.alias?.unit;
    if (unit) {
      const u = evalUnit(unit);
      return num(u.ok ? u.dim : undefined);
    }
    const value = sym.decl?.value ?? sym.alias?.value;
    if (value) {
      const ty = this.quiet().infer(value, { distributions: sym.kind !== "alias", modulator: false });
      return ty.t === "err" ? num(undefined) : ty;
    }
    if (sym.kind === "parameter") {
      // generic: its dimension comes from the argument of the population or connect
      return num(this.instance?.generic.has(sym.name) ? this.instance.generic.get(sym.name) : undefined);
    }
    if (sym.kind === "input") return num(DIMENSIONLESS);
    return num(undefined);
  }

  exposeTy(x: Expose): Ty {
    if (x.unit) {
      const u = evalUnit(x.unit);
      return num(u.ok ? u.dim : undefined);
    }
    const ty = this.quiet().infer(x.value);
    return ty.t === "err" ? num(undefined) : ty;
  }

  constant(name: string): number | undefined {
    const guard = new Set<string>();
    const look = (n: string): number | undefined => {
      const sym = this.symbols.byName.get(n);
      if (!sym || sym.kind !== "parameter" || !sym.decl?.value || guard.has(n)) return undefined;
      guard.add(n);
      return constValue(sym.decl.value, look);
    };
    return look(name);
  }

  // ------------------------------------------------------------ members
  resolveMember(e: MemberExpr): Ty {
    const obj = e.object;
    if (typeof obj === "object") {
      this.diags.error(
        "E0408",
        e.span,
        `\`${obj.population}.${e.name}\` reads a population; this is only available in modulator expressions`,
        {
          hint: "declare `modulator m = mean(POP.var)` in the network and read mod.m",
        },
      );
      return ERR;
    }
    if (obj === "mod") return this.resolveMod(e);
    if (this.model.modelKind !== "synapse") {
      this.diags.error(
        "E0408",
        e.objectSpan,
        `\`${obj}.\` is only available in synapse models, not in ${this.model.modelKind} ${this.model.name}`,
      );
      return ERR;
    }
    if (obj === "astro") return this.resolveAstro(e);
    return this.resolvePeer(obj, e.name, e.nameSpan, e.span);
  }

  private resolveMod(e: MemberExpr): Ty {
    const mods = this.info.modulators;
    if (!mods) return num(undefined);
    if (!mods.has(e.name)) {
      const near = closest(e.name, mods.keys());
      this.diags.error("E0514", e.nameSpan, `unknown modulator \`${e.name}\``, {
        hint: near ? `did you mean \`mod.${near}\`?` : "declare it in the network: `modulator NAME = expr`",
      });
      return ERR;
    }
    return num(mods.get(e.name));
  }

  private resolveAstro(e: MemberExpr): Ty {
    const inst = this.instance;
    if (!inst || inst.astro === undefined) return num(undefined);
    if (inst.astro === null) {
      this.diags.error(
        "E0408",
        e.span,
        `\`astro.${e.name}\` is read, but projection ${inst.label} is not ensheathed by an astrocyte population`,
        {
          related: inst.related,
          hint: `add \`ensheath ${inst.label} with ASTROPOP random(pool = 1)\` to the network (the projection needs a name: connect NAME: ...)`,
        },
      );
      return ERR;
    }
    const model = inst.astro.model;
    const x = model.exposes.find((v) => v.name === e.name);
    if (!x) {
      const near = closest(
        e.name,
        model.exposes.map((v) => v.name),
      );
      this.diags.error("E0207", e.nameSpan, `astrocyte model ${model.name} does not expose \`${e.name}\``, {
        related: inst.related,
        hint: near ? `did you mean \`astro.${near}\`?` : `add \`expose ${e.name} = ...\` to ${model.name}`,
      });
      return ERR;
    }
    const sym = this.info.symbols.get(model);
    return sym ? new ModelEnv(sym, new Diagnostics(), this.info).exposeTy(x) : num(undefined);
  }

  /** pre.X / post.X, also used for assignment targets. */
  resolvePeer(side: "pre" | "post", name: string, nameSpan: Span, span: Span): Ty {
    const inst = this.instance;
    const peer = side === "pre" ? inst?.pre : inst?.post;
    if (!inst || !peer) return num(undefined);
    if (!peer.model) {
      this.diags.error(
        "E0207",
        span,
        `\`${side}.${name}\`: ${peer.population} is an input source and has no variables`,
        { related: inst.related },
      );
      return ERR;
    }
    const peerSyms = this.info.symbols.get(peer.model);
    if (!peerSyms) return num(undefined);
    const peerEnv = new ModelEnv(peerSyms, new Diagnostics(), this.info);
    if (side === "post" && name === "target" && !peerSyms.byName.has("target")) {
      if (inst.onto === undefined) return num(undefined); // E0505 is reported at the connect
      const onto = peerSyms.byName.get(inst.onto);
      const ok = onto && (onto.kind === "state" || onto.kind === "input");
      return ok ? peerEnv.symbolTy(onto) : num(undefined); // E0504 at the connect
    }
    const sym = peerSyms.byName.get(name);
    if (!sym) {
      const near = closest(name, peerSyms.byName.keys());
      this.diags.error(
        "E0207",
        nameSpan,
        `${peer.model.modelKind} model ${peer.model.name} (population ${peer.population}) has no variable \`${name}\``,
        {
          related: inst.related,
          hint: near ? `did you mean \`${side}.${near}\`?` : undefined,
        },
      );
      return ERR;
    }
    return peerEnv.symbolTy(sym);
  }

  resolveModulatorCall(_e: CallExpr): Ty {
    return ERR;
  }
}
