// Tests for the matrix exponential and the exact propagator (compiler/passes/expm.ts).
import { describe, expect, test } from "@jest/globals";
import { expm, propagator, matMul, type Matrix } from "../../compiler/passes/expm.js";

function expectClose(a: Matrix, b: Matrix, rel = 1e-13): void {
  expect(a.length).toBe(b.length);
  const scale = Math.max(1e-300, ...b.flat().map(Math.abs));
  a.forEach((row, i) => row.forEach((x, j) => expect(Math.abs(x - b[i]![j]!)).toBeLessThanOrEqual(rel * scale)));
}

describe("expm", () => {
  test("diagonal matrices exponentiate elementwise, small and large norms", () => {
    expectClose(
      expm([
        [1, 0],
        [0, -2],
      ]),
      [
        [Math.E, 0],
        [0, Math.exp(-2)],
      ],
    );
    const big = expm([
      [-50, 0, 0],
      [0, 3, 0],
      [0, 0, 20],
    ]);
    expect(Math.abs(big[0]![0]! - Math.exp(-50)) / Math.exp(-50)).toBeLessThan(1e-12);
    expect(Math.abs(big[2]![2]! - Math.exp(20)) / Math.exp(20)).toBeLessThan(1e-12);
    expect(big[0]![1]).toBe(0);
  });

  test("nilpotent matrices give their finite series", () => {
    expectClose(
      expm([
        [0, 1],
        [0, 0],
      ]),
      [
        [1, 1],
        [0, 1],
      ],
    );
    expectClose(
      expm([
        [0, 2, 3],
        [0, 0, 4],
        [0, 0, 0],
      ]),
      [
        [1, 2, 3 + 4],
        [0, 1, 4],
        [0, 0, 1],
      ],
    );
  });

  test("rotation generators give rotations (also with scaling and squaring)", () => {
    for (const th of [0.3, 2, 40]) {
      expectClose(
        expm([
          [0, -th],
          [th, 0],
        ]),
        [
          [Math.cos(th), -Math.sin(th)],
          [Math.sin(th), Math.cos(th)],
        ],
        1e-12,
      );
    }
  });

  test("expm(A) expm(A) = expm(2A) for a general matrix", () => {
    const A = [
      [0.3, -1.2, 0.5],
      [0.7, -0.4, 0.1],
      [-0.2, 0.9, -1.1],
    ];
    const twice = expm(A.map((r) => r.map((x) => 2 * x)));
    const e = expm(A);
    expectClose(matMul(e, e), twice, 1e-13);
  });
});

describe("propagator", () => {
  test("scalar decay: P = e^{-h/tau}, Q = tau (1 - e^{-h/tau})", () => {
    const tau = 0.02;
    const h = 1e-4;
    const { P, Q } = propagator([[-1 / tau]], h)!;
    expect(Math.abs(P[0]![0]! - Math.exp(-h / tau))).toBeLessThan(1e-16);
    expect(Math.abs(Q[0]![0]! - -tau * Math.expm1(-h / tau)) / h).toBeLessThan(1e-13);
  });

  test("singular A (pure integrator): Q = h", () => {
    const { P, Q } = propagator([[0]], 0.5)!;
    expect(P[0]![0]).toBe(1);
    expect(Math.abs(Q[0]![0]! - 0.5)).toBeLessThan(1e-16);
  });
});
