// A small helper for writing one wasm function with binaryen: named and temporary locals, unique labels,
// counted loops and i32 memory helpers. In: the module's expression builder; out: expressions and the
// local list a FunctionSpec needs. Used by every lower-*.ts file.

import { valType, type Expr, type ExprBuilder, type ValType } from "./module.js";

export class Fn {
  private readonly types: ValType[] = [];
  private readonly named = new Map<string, number>();
  private labels = 0;

  constructor(
    readonly ir: ExprBuilder,
    readonly params: readonly ValType[],
  ) {
    this.types.push(...params);
  }

  /** The locals after the parameters (for FunctionSpec.locals). */
  get locals(): ValType[] {
    return this.types.slice(this.params.length);
  }

  typeOf(index: number): ValType {
    return this.types[index]!;
  }

  /** Local `name` of type `t`, created on first use. */
  local(name: string, t: ValType): number {
    const key = `${name}:${t}`;
    const known = this.named.get(key);
    if (known !== undefined) return known;
    const index = this.tmp(t);
    this.named.set(key, index);
    return index;
  }

  has(name: string, t: ValType): boolean {
    return this.named.has(`${name}:${t}`);
  }

  /** A fresh local of type `t`. */
  tmp(t: ValType): number {
    this.types.push(t);
    return this.types.length - 1;
  }

  get(index: number): Expr {
    return this.ir.local.get(index, valType(this.types[index]!));
  }

  set(index: number, value: Expr): Expr {
    return this.ir.local.set(index, value);
  }

  tee(index: number, value: Expr): Expr {
    return this.ir.local.tee(index, value, valType(this.types[index]!));
  }

  label(prefix: string): string {
    return `${prefix}${this.labels++}`;
  }

  i32(v: number): Expr {
    return this.ir.i32.const(v | 0);
  }

  block(stmts: readonly Expr[]): Expr {
    if (stmts.length === 0) return this.ir.nop();
    if (stmts.length === 1) return stmts[0]!;
    return this.ir.block(null, [...stmts], valType("none"));
  }

  /**
   * for (idx = from; idx < to (signed); idx += step) body — `to` is re-evaluated every iteration.
   * Emitted as a guarded do-while (test at the bottom): V8 hoists loop-invariant nodes (v128 constants,
   * splats) out of a loop only from blocks that dominate every loop exit, which a top-tested loop's
   * body does not; the bottom test also takes one branch per iteration instead of two.
   */
  forLoop(idx: number, from: Expr, to: Expr, step: number, body: readonly Expr[]): Expr {
    const ir = this.ir;
    const done = this.label("done");
    const next = this.label("next");
    return ir.block(null, [
      this.set(idx, from),
      ir.block(done, [
        ir.br(done, ir.i32.ge_s(this.get(idx), ir.copyExpression(to))),
        ir.loop(
          next,
          ir.block(null, [
            ...body,
            this.set(idx, ir.i32.add(this.get(idx), this.i32(step))),
            ir.br(next, ir.i32.lt_s(this.get(idx), to)),
          ]),
        ),
      ]),
    ]);
  }

  /** while (cond) body. */
  whileLoop(cond: Expr, body: readonly Expr[]): Expr {
    const ir = this.ir;
    const done = this.label("wdone");
    const next = this.label("wnext");
    return ir.block(done, [ir.loop(next, ir.block(null, [ir.br(done, ir.i32.eqz(cond)), ...body, ir.br(next)]))]);
  }

  /** i32 at byte address `addr` (+ constant offset). */
  loadI32(addr: Expr, offset = 0): Expr {
    return this.ir.i32.load(offset, 4, addr);
  }

  storeI32(addr: Expr, value: Expr, offset = 0): Expr {
    return this.ir.i32.store(offset, 4, addr, value);
  }

  /** i32 element `index` of the i32 array at constant address `base`. */
  at32(base: number, index: Expr): Expr {
    return this.ir.i32.add(this.i32(base), this.ir.i32.shl(index, this.i32(2)));
  }

  /** Address base + index * bytes. */
  addr(base: number, index: Expr, bytes: number): Expr {
    const shift = bytes === 1 ? 0 : bytes === 2 ? 1 : bytes === 4 ? 2 : bytes === 8 ? 3 : 4;
    return this.ir.i32.add(this.i32(base), shift === 0 ? index : this.ir.i32.shl(index, this.i32(shift)));
  }
}
