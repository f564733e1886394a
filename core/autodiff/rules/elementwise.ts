/**
 * VJP rules of the elementwise primitives: unary math, binary arithmetic
 * (cotangents summed back over broadcast axes), `select` and `cast`. The
 * formulas are JAX's (`jax/_src/lax/lax.py`), including its conventions at
 * kinks: `abs` uses `sign(x)` (0 at 0), `maximum`/`minimum` split ties
 * 0.5/0.5, `pow` gives 0 where the exponent is 0 (base grad) or the base is 0
 * (exponent grad), and rounding ops have zero gradient.
 *
 * @module
 */

import type { TapeNode } from "../../engine.ts";
import type { Tensor } from "../../tensor.ts";
import { isFloat } from "../../ops/convert.ts";
import { pBinary, pCast, pSelect, pUnary } from "../../ops/prim.ts";
import {
  add,
  div,
  k,
  maskWhere,
  mul,
  neg,
  registerVjp,
  scale,
  sub,
  unbroadcast,
  zeros,
} from "./util.ts";

type Unary = (g: Tensor, x: Tensor, y: Tensor) => Tensor;

const sq = (t: Tensor): Tensor => mul(t, t);
const oneMinusSq = (t: Tensor): Tensor => sub(k(t, 1), sq(t));

/** d/dx of each unary op, times the cotangent `g` (x input, y output). */
const UNARY: Record<string, Unary> = {
  neg: (g) => neg(g),
  abs: (g, x) => mul(g, pUnary("sign", x)),
  exp: (g, _x, y) => mul(g, y),
  expm1: (g, _x, y) => mul(g, add(y, k(y, 1))),
  log: (g, x) => div(g, x),
  log1p: (g, x) => div(g, add(x, k(x, 1))),
  log2: (g, x) => div(g, scale(x, Math.LN2)),
  sqrt: (g, _x, y) => div(g, scale(y, 2)),
  // d rsqrt = -0.5 · y / x
  rsqrt: (g, x, y) => mul(g, scale(div(y, x), -0.5)),
  square: (g, x) => mul(g, scale(x, 2)),
  reciprocal: (g, _x, y) => neg(mul(g, sq(y))),
  sin: (g, x) => mul(g, pUnary("cos", x)),
  cos: (g, x) => neg(mul(g, pUnary("sin", x))),
  tan: (g, _x, y) => mul(g, add(k(y, 1), sq(y))),
  asin: (g, x) => mul(g, pUnary("rsqrt", oneMinusSq(x))),
  acos: (g, x) => neg(mul(g, pUnary("rsqrt", oneMinusSq(x)))),
  atan: (g, x) => div(g, add(k(x, 1), sq(x))),
  sinh: (g, x) => mul(g, pUnary("cosh", x)),
  cosh: (g, x) => mul(g, pUnary("sinh", x)),
  tanh: (g, _x, y) => mul(g, oneMinusSq(y)),
  asinh: (g, x) => mul(g, pUnary("rsqrt", add(sq(x), k(x, 1)))),
  // d acosh = 1 / sqrt((x − 1)(x + 1))
  acosh: (g, x) => mul(g, pUnary("rsqrt", mul(sub(x, k(x, 1)), add(x, k(x, 1))))),
  atanh: (g, x) => div(g, oneMinusSq(x)),
  sigmoid: (g, _x, y) => mul(g, mul(y, sub(k(y, 1), y))),
  // d erf = 2/√π · exp(−x²)
  erf: (g, x) => mul(g, scale(pUnary("exp", neg(sq(x))), 2 / Math.sqrt(Math.PI))),
  // d erfinv = √π/2 · exp(y²)
  erfinv: (g, _x, y) => mul(g, scale(pUnary("exp", sq(y)), Math.sqrt(Math.PI) / 2)),
  floor: (g) => zeros(g, g.shape),
  ceil: (g) => zeros(g, g.shape),
  round: (g) => zeros(g, g.shape),
  trunc: (g) => zeros(g, g.shape),
  sign: (g) => zeros(g, g.shape),
};

for (const [op, f] of Object.entries(UNARY)) {
  registerVjp(op, (node, [g]) => [f(g!, node.inputs[0], node.outputs[0])]);
}

/** JAX's `_balanced_eq(x, z, y)`: 1 where x is the result alone, 0.5 on a tie, else 0. */
function balancedEq(x: Tensor, z: Tensor, y: Tensor): Tensor {
  const xz = pBinary("equal", x, z), yz = pBinary("equal", y, z);
  return pSelect(xz, pSelect(yz, k(x, 0.5), k(x, 1)), k(x, 0));
}

type Binary = (g: Tensor, a: Tensor, b: Tensor, y: Tensor) => [Tensor | null, Tensor | null];

/** Cotangents of both operands at the broadcast shape. */
const BINARY: Record<string, Binary> = {
  add: (g) => [g, g],
  sub: (g) => [g, neg(g)],
  mul: (g, a, b) => [mul(g, b), mul(g, a)],
  div: (g, a, b) => [div(g, b), div(mul(neg(g), a), mul(b, b))],
  pow: (g, a, b, y) => {
    const bZero = pBinary("equal", b, k(b, 0));
    // d/da = b · a^(b−1), 0 where b == 0; d/db = log(a) · y with log(1) where a == 0
    const da = pSelect(bZero, k(a, 0), mul(b, pBinary("pow", a, sub(b, k(b, 1)))));
    const aSafe = pSelect(pBinary("equal", a, k(a, 0)), k(a, 1), a);
    return [mul(g, da), mul(g, mul(pUnary("log", aSafe), y))];
  },
  maximum: (g, a, b, y) => [mul(g, balancedEq(a, y, b)), mul(g, balancedEq(b, y, a))],
  minimum: (g, a, b, y) => [mul(g, balancedEq(a, y, b)), mul(g, balancedEq(b, y, a))],
  // atan2(a, b): d/da = b / (a² + b²), d/db = −a / (a² + b²)
  atan2: (g, a, b) => {
    const r = add(mul(a, a), mul(b, b));
    return [div(mul(g, b), r), neg(div(mul(g, a), r))];
  },
  // a mod b = a − b·floor(a/b): d/da = 1, d/db = −floor(a/b)
  mod: (g, a, b) => [g, neg(mul(g, pUnary("floor", div(a, b))))],
  floorDiv: (g) => [zeros(g, g.shape), zeros(g, g.shape)],
};

for (const [op, f] of Object.entries(BINARY)) {
  registerVjp(op, (node, [g]) => {
    const [a, b] = node.inputs;
    const [ga, gb] = f(g!, a, b, node.outputs[0]);
    return [ga && unbroadcast(ga, a.shape), gb && unbroadcast(gb, b.shape)];
  });
}

registerVjp("select", (node: TapeNode, [g]) => {
  const [cond, a, b] = node.inputs;
  return [
    null,
    unbroadcast(maskWhere(cond, g!), a.shape),
    unbroadcast(pSelect(cond, k(g!, 0), g!), b.shape),
  ];
});

// float → float passes the cotangent through (cast back); to int/bool no gradient
registerVjp("cast", (node, [g]) => {
  const x = node.inputs[0];
  if (!isFloat(x.dtype) || !isFloat(g!.dtype)) return [null];
  return [g!.dtype === x.dtype ? g : pCast(g!, x.dtype)];
});
