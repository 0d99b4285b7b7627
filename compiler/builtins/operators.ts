// The arithmetic operators' float64 meaning, in one place. In: nothing; out: the table the checker's constant
// evaluators (AST: `^`), the IR evaluator and network evaluation (IR: `pow`) all apply, so `a ^ b` means the same
// Math.pow everywhere and every target's f64 arithmetic is checked against these.

/** Arithmetic operators as the IR names them. */
export const ARITHMETIC = {
  "+": (a: number, b: number): number => a + b,
  "-": (a: number, b: number): number => a - b,
  "*": (a: number, b: number): number => a * b,
  "/": (a: number, b: number): number => a / b,
  pow: (a: number, b: number): number => Math.pow(a, b),
} as const;

export type ArithmeticOp = keyof typeof ARITHMETIC;

/** The arithmetic operator an AST operator names (`^` is `pow`), or undefined for any other operator. */
export function arithmeticOf(astOp: string): ArithmeticOp | undefined {
  if (astOp === "^") return "pow";
  return Object.prototype.hasOwnProperty.call(ARITHMETIC, astOp) && astOp !== "pow"
    ? (astOp as ArithmeticOp)
    : undefined;
}
