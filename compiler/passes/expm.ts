// The matrix exponential in float64: scaling and squaring with the degree-13 Padé approximant
// (Higham 2005, "The scaling and squaring method for the matrix exponential revisited").
// In: a square matrix (rows of numbers); out: expm(A). Also the exact linear propagator (P, Q), or
// undefined when a coefficient or the result is not finite (the caller reports it).

export type Matrix = number[][];

export function identity(n: number): Matrix {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

export function matMul(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const m = b[0]!.length;
  const k = b.length;
  const out: Matrix = Array.from({ length: n }, () => new Array<number>(m).fill(0));
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a[i]![p]!;
      if (aip === 0) continue;
      for (let j = 0; j < m; j++) out[i]![j]! += aip * b[p]![j]!;
    }
  }
  return out;
}

/** sum of c_i * M_i (all the same shape). */
function lincomb(terms: [number, Matrix][]): Matrix {
  const n = terms[0]![1].length;
  const out: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (const [c, m] of terms) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) out[i]![j]! += c * m[i]![j]!;
  return out;
}

function norm1(a: Matrix): number {
  let best = 0;
  for (let j = 0; j < a.length; j++) {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += Math.abs(a[i]![j]!);
    best = Math.max(best, s);
  }
  return best;
}

/** Solves A X = B by LU with partial pivoting (A square and nonsingular). */
export function solve(a: Matrix, b: Matrix): Matrix {
  const n = a.length;
  const m = b[0]!.length;
  const lu = a.map((r) => [...r]);
  const x = b.map((r) => [...r]);
  for (let col = 0; col < n; col++) {
    let piv = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(lu[r]![col]!) > Math.abs(lu[piv]![col]!)) piv = r;
    if (piv !== col) {
      [lu[col], lu[piv]] = [lu[piv]!, lu[col]!];
      [x[col], x[piv]] = [x[piv]!, x[col]!];
    }
    const d = lu[col]![col]!;
    for (let r = col + 1; r < n; r++) {
      const f = lu[r]![col]! / d;
      if (f === 0) continue;
      for (let c = col; c < n; c++) lu[r]![c]! -= f * lu[col]![c]!;
      for (let c = 0; c < m; c++) x[r]![c]! -= f * x[col]![c]!;
    }
  }
  for (let col = n - 1; col >= 0; col--) {
    const d = lu[col]![col]!;
    for (let c = 0; c < m; c++) {
      let s = x[col]![c]!;
      for (let k = col + 1; k < n; k++) s -= lu[col]![k]! * x[k]![c]!;
      x[col]![c] = s / d;
    }
  }
  return x;
}

const B13 = [
  64764752532480000, 32382376266240000, 7771770303897600, 1187353796428800, 129060195264000, 10559470521600,
  670442572800, 33522128640, 1323241920, 40840800, 960960, 16380, 182, 1,
];
const THETA13 = 5.371920351148152;

/** expm(A) by scaling and squaring with the [13/13] Padé approximant. A must be finite: an infinite
 *  norm would ask for infinitely many squarings (callers check; `propagator` does). */
export function expm(a: Matrix): Matrix {
  const n = a.length;
  if (n === 0) return [];
  const nrm = norm1(a);
  if (!Number.isFinite(nrm)) throw new RangeError("expm: the matrix has a non-finite entry");
  const s = nrm > THETA13 ? Math.max(0, Math.ceil(Math.log2(nrm / THETA13))) : 0;
  const f = Math.pow(2, -s);
  const A = a.map((r) => r.map((x) => x * f));
  const I = identity(n);
  const A2 = matMul(A, A);
  const A4 = matMul(A2, A2);
  const A6 = matMul(A4, A2);
  const b = B13;
  const u1 = matMul(
    A6,
    lincomb([
      [b[13]!, A6],
      [b[11]!, A4],
      [b[9]!, A2],
    ]),
  );
  const U = matMul(
    A,
    lincomb([
      [1, u1],
      [b[7]!, A6],
      [b[5]!, A4],
      [b[3]!, A2],
      [b[1]!, I],
    ]),
  );
  const v1 = matMul(
    A6,
    lincomb([
      [b[12]!, A6],
      [b[10]!, A4],
      [b[8]!, A2],
    ]),
  );
  const V = lincomb([
    [1, v1],
    [b[6]!, A6],
    [b[4]!, A4],
    [b[2]!, A2],
    [b[0]!, I],
  ]);
  let R = solve(
    lincomb([
      [1, V],
      [-1, U],
    ]),
    lincomb([
      [1, V],
      [1, U],
    ]),
  );
  for (let i = 0; i < s; i++) R = matMul(R, R);
  return R;
}

const allFinite = (m: Matrix): boolean => m.every((r) => r.every((x) => Number.isFinite(x)));

/** The exact propagator of x' = A x + b over a step h, for constant b:
 *  x(t+h) = P x(t) + Q b with P = expm(A h) and Q = ∫0^h expm(A s) ds, both read off
 *  expm([[A, I], [0, 0]] h) (right even when A is singular or has repeated eigenvalues).
 *  Undefined when A h has a non-finite entry or the propagator overflows. */
export function propagator(A: Matrix, h: number): { P: Matrix; Q: Matrix } | undefined {
  const n = A.length;
  const M: Matrix = Array.from({ length: 2 * n }, () => new Array<number>(2 * n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) M[i]![j] = A[i]![j]! * h;
    M[i]![n + i] = h;
  }
  if (!allFinite(M)) return undefined;
  const E = expm(M);
  if (!allFinite(E)) return undefined;
  return {
    P: E.slice(0, n).map((r) => r.slice(0, n)),
    Q: E.slice(0, n).map((r) => r.slice(n, 2 * n)),
  };
}
