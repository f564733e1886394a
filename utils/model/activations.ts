/**
 * Elementwise activations of `ngclearn.utils.model_utils` and their
 * derivatives (spec: model-utils.md, "Activations and derivatives"). Every
 * function accepts any shape, returns a new float tensor of the same shape
 * (int and bool inputs give float32) and frees its temporaries. σ is the
 * logistic sigmoid `1/(1 + e^(−z))`.
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import type { Tensor } from "../../core/tensor.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import {
  add,
  cast,
  cos,
  equal,
  exp,
  expm1,
  greater,
  greaterEqual,
  lessEqual,
  logaddexp,
  logicalAnd,
  maximum,
  minimum,
  mul,
  onesLike,
  sigmoid as sigmoidOp,
  sin,
  square,
  sub,
  tanh as tanhOp,
  where,
} from "../../core/ops/mod.ts";
import { checkNumber, floatInput } from "./common.ts";

/** `[cond]` as 0/1 in the float dtype of `like`. */
function indicator(cond: Tensor, like: Tensor): Tensor {
  return cast(cond, like.dtype);
}

/**
 * Identity `f(x) = x` (a new tensor).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { identity } from "./activations.ts";
 * using y = identity([1, -2]);
 * console.assert(y.dataSync().join() === "1,-2");
 * ```
 */
export function identity(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("identity", x);
    return cast(t, t.dtype);
  });
}

/**
 * Derivative of {@link identity}: ones of the shape of `x`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dIdentity } from "./activations.ts";
 * using d = dIdentity([3, -4]);
 * console.assert(d.dataSync().join() === "1,1");
 * ```
 */
export function dIdentity(x: TensorLike): Tensor {
  return tidy(() => onesLike(floatInput("dIdentity", x)));
}

/**
 * Rectified linear unit `max(0, x)` (NaN propagates).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { relu } from "./activations.ts";
 * using y = relu([-1, 0, 2]);
 * console.assert(y.dataSync().join() === "0,0,2");
 * ```
 */
export function relu(x: TensorLike): Tensor {
  return tidy(() => maximum(floatInput("relu", x), 0));
}

/**
 * Derivative of {@link relu}: `[x ≥ 0]` (1 at 0, as ngclearn).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dRelu } from "./activations.ts";
 * using d = dRelu([-1, 0, 2]);
 * console.assert(d.dataSync().join() === "0,1,1");
 * ```
 */
export function dRelu(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("dRelu", x);
    return indicator(greaterEqual(t, 0), t);
  });
}

/**
 * Leaky ReLU: `x` if `x ≥ 0` else `0.01·x`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { lrelu } from "./activations.ts";
 * using y = lrelu([-2, 3]);
 * console.assert(Math.abs(y.dataSync()[0] + 0.02) < 1e-7 && y.dataSync()[1] === 3);
 * ```
 */
export function lrelu(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("lrelu", x);
    return where(greaterEqual(t, 0), t, mul(t, 0.01));
  });
}

/**
 * Derivative of {@link lrelu}: 1 if `x ≥ 0` else 0.01.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dLrelu } from "./activations.ts";
 * using d = dLrelu([-2, 0]);
 * console.assert(Math.abs(d.dataSync()[0] - 0.01) < 1e-7 && d.dataSync()[1] === 1);
 * ```
 */
export function dLrelu(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("dLrelu", x);
    return where(greaterEqual(t, 0), cast(1, t.dtype), cast(0.01, t.dtype));
  });
}

/**
 * ReLU capped at 6: `min(max(0, x), 6)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { relu6 } from "./activations.ts";
 * using y = relu6([-1, 3, 9]);
 * console.assert(y.dataSync().join() === "0,3,6");
 * ```
 */
export function relu6(x: TensorLike): Tensor {
  return tidy(() => minimum(maximum(floatInput("relu6", x), 0), 6));
}

/**
 * Derivative of {@link relu6}: `[0 ≤ x ≤ 6]` (both ends included, as ngclearn).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dRelu6 } from "./activations.ts";
 * using d = dRelu6([-1, 0, 6, 7]);
 * console.assert(d.dataSync().join() === "0,1,1,0");
 * ```
 */
export function dRelu6(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("dRelu6", x);
    return indicator(logicalAnd(greaterEqual(t, 0), lessEqual(t, 6)), t);
  });
}

/**
 * Hyperbolic tangent.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { tanh } from "./activations.ts";
 * using y = tanh([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function tanh(x: TensorLike): Tensor {
  return tidy(() => tanhOp(floatInput("tanh", x)));
}

/**
 * Derivative of {@link tanh}: `1 − tanh²(x)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dTanh } from "./activations.ts";
 * using d = dTanh([0]);
 * console.assert(d.dataSync()[0] === 1);
 * ```
 */
export function dTanh(x: TensorLike): Tensor {
  return tidy(() => sub(1, square(tanhOp(floatInput("dTanh", x)))));
}

/**
 * Logistic sigmoid `σ(x) = 1/(1 + e^(−x))`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { sigmoid } from "./activations.ts";
 * using y = sigmoid([0]);
 * console.assert(y.dataSync()[0] === 0.5);
 * ```
 */
export function sigmoid(x: TensorLike): Tensor {
  return tidy(() => sigmoidOp(floatInput("sigmoid", x)));
}

/**
 * Derivative of {@link sigmoid}: `σ(x)(1 − σ(x))`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dSigmoid } from "./activations.ts";
 * using d = dSigmoid([0]);
 * console.assert(d.dataSync()[0] === 0.25);
 * ```
 */
export function dSigmoid(x: TensorLike): Tensor {
  return tidy(() => {
    const s = sigmoidOp(floatInput("dSigmoid", x));
    return mul(s, sub(1, s));
  });
}

/**
 * Softplus `log(1 + e^x)`, computed stably as `logaddexp(x, 0)` (ngclearn's
 * code; its docstring's `ln(1 + e^(−x))` is a typo).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { softplus } from "./activations.ts";
 * using y = softplus([0, 1000]);
 * console.assert(Math.abs(y.dataSync()[0] - Math.LN2) < 1e-6 && y.dataSync()[1] === 1000);
 * ```
 */
export function softplus(x: TensorLike): Tensor {
  return tidy(() => logaddexp(floatInput("softplus", x), 0));
}

/**
 * Derivative of {@link softplus}: `σ(x)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dSoftplus } from "./activations.ts";
 * using d = dSoftplus([0]);
 * console.assert(d.dataSync()[0] === 0.5);
 * ```
 */
export function dSoftplus(x: TensorLike): Tensor {
  return tidy(() => sigmoidOp(floatInput("dSoftplus", x)));
}

/** Options of {@link sine} and {@link dSine}. */
export interface SineOptions {
  /** Frequency ω0 (default 30, as SIREN). */
  readonly omega0?: number;
}

/**
 * SIREN sine activation `sin(ω0·x)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { sine } from "./activations.ts";
 * using y = sine([0.05], { omega0: Math.PI * 10 });
 * console.assert(Math.abs(y.dataSync()[0] - 1) < 1e-6);
 * ```
 */
export function sine(x: TensorLike, options: SineOptions = {}): Tensor {
  const w = checkNumber("sine", "omega0", options.omega0 ?? 30);
  return tidy(() => sin(mul(floatInput("sine", x), w)));
}

/**
 * Derivative of {@link sine}: `ω0·cos(ω0·x)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dSine } from "./activations.ts";
 * using d = dSine([0]);
 * console.assert(d.dataSync()[0] === 30);
 * ```
 */
export function dSine(x: TensorLike, options: SineOptions = {}): Tensor {
  const w = checkNumber("dSine", "omega0", options.omega0 ?? 30);
  return tidy(() => mul(cos(mul(floatInput("dSine", x), w)), w));
}

/**
 * TeLU `x·tanh(e^x)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { telu } from "./activations.ts";
 * using y = telu([0, 100]);
 * console.assert(y.dataSync()[0] === 0 && y.dataSync()[1] === 100);
 * ```
 */
export function telu(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("telu", x);
    return mul(t, tanhOp(exp(t)));
  });
}

/**
 * Derivative of {@link telu}: `tanh(e^x) + x·e^x·(1 − tanh²(e^x))`. The
 * second term is taken as exactly 0 once `tanh(e^x)` rounds to 1, so large x
 * gives 1 (ngclearn computes `inf·0 = NaN` once `e^x` overflows, x ≳ 88.7).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dTelu } from "./activations.ts";
 * using d = dTelu([0, 100]);
 * console.assert(Math.abs(d.dataSync()[0] - Math.tanh(1)) < 1e-6 && d.dataSync()[1] === 1);
 * ```
 */
export function dTelu(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("dTelu", x);
    const ex = exp(t);
    const th = tanhOp(ex);
    const second = mul(mul(t, ex), sub(1, square(th)));
    return add(th, where(equal(th, 1), 0, second));
  });
}

function swishImpl(fn: string, x: TensorLike, beta: number): Tensor {
  return tidy(() => {
    const t = floatInput(fn, x);
    return mul(t, sigmoidOp(mul(t, beta)));
  });
}

function dSwishImpl(fn: string, x: TensorLike, beta: number): Tensor {
  return tidy(() => {
    const t = floatInput(fn, x);
    const s = sigmoidOp(mul(t, beta));
    // d/dx x·σ(βx) = σ(βx) + βx·σ(βx)(1 − σ(βx))
    return add(s, mul(mul(t, beta), mul(s, sub(1, s))));
  });
}

/**
 * Swish `x·σ(β·x)` (β has no default, as in ngclearn).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { swish } from "./activations.ts";
 * using y = swish([0, 2], 1);
 * console.assert(y.dataSync()[0] === 0 && Math.abs(y.dataSync()[1] - 2 / (1 + Math.exp(-2))) < 1e-6);
 * ```
 */
export function swish(x: TensorLike, beta: number): Tensor {
  return swishImpl("swish", x, checkNumber("swish", "beta", beta));
}

/**
 * Derivative of {@link swish}: `σ(βx) + β·x·σ(βx)(1 − σ(βx))`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dSwish } from "./activations.ts";
 * using d = dSwish([0], 2);
 * console.assert(d.dataSync()[0] === 0.5);
 * ```
 */
export function dSwish(x: TensorLike, beta: number): Tensor {
  return dSwishImpl("dSwish", x, checkNumber("dSwish", "beta", beta));
}

/**
 * SiLU: `swish(x, 1) = x·σ(x)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { silu } from "./activations.ts";
 * using y = silu([0]);
 * console.assert(y.dataSync()[0] === 0);
 * ```
 */
export function silu(x: TensorLike): Tensor {
  return swishImpl("silu", x, 1);
}

/**
 * Derivative of {@link silu}: `dSwish(x, 1)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dSilu } from "./activations.ts";
 * using d = dSilu([0]);
 * console.assert(d.dataSync()[0] === 0.5);
 * ```
 */
export function dSilu(x: TensorLike): Tensor {
  return dSwishImpl("dSilu", x, 1);
}

/**
 * GELU, fast sigmoid approximation as ngclearn: `swish(x, 1.702)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { gelu } from "./activations.ts";
 * using y = gelu([1]);
 * console.assert(Math.abs(y.dataSync()[0] - 1 / (1 + Math.exp(-1.702))) < 1e-6);
 * ```
 */
export function gelu(x: TensorLike): Tensor {
  return swishImpl("gelu", x, 1.702);
}

/**
 * Derivative of {@link gelu}: `dSwish(x, 1.702)`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dGelu } from "./activations.ts";
 * using d = dGelu([0]);
 * console.assert(d.dataSync()[0] === 0.5);
 * ```
 */
export function dGelu(x: TensorLike): Tensor {
  return dSwishImpl("dGelu", x, 1.702);
}

/** Options of {@link elu} and {@link dElu}. */
export interface EluOptions {
  /** Scale of the negative branch (default 1). */
  readonly alpha?: number;
}

/**
 * ELU: `x` if `x ≥ 0` else `α·(e^x − 1)`. Selected with `where`, so large x
 * gives x (ngclearn's `m·x + (1 − m)·α(e^x − 1)` gives `0·inf = NaN` once
 * `e^x` overflows).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { elu } from "./activations.ts";
 * using y = elu([100, 0, -100], { alpha: 2 });
 * console.assert(y.dataSync().join() === "100,0,-2");
 * ```
 */
export function elu(x: TensorLike, options: EluOptions = {}): Tensor {
  const alpha = checkNumber("elu", "alpha", options.alpha ?? 1);
  return tidy(() => {
    const t = floatInput("elu", x);
    return where(greaterEqual(t, 0), t, mul(expm1(minimum(t, 0)), alpha));
  });
}

/**
 * Derivative of {@link elu}: 1 if `x ≥ 0` else `α·e^x` (no NaN for large x).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dElu } from "./activations.ts";
 * using d = dElu([1000, 0, -1], { alpha: 0.5 });
 * const v = d.dataSync();
 * console.assert(v[0] === 1 && v[1] === 1 && Math.abs(v[2] - 0.5 * Math.exp(-1)) < 1e-7);
 * ```
 */
export function dElu(x: TensorLike, options: EluOptions = {}): Tensor {
  const alpha = checkNumber("dElu", "alpha", options.alpha ?? 1);
  return tidy(() => {
    const t = floatInput("dElu", x);
    return where(greaterEqual(t, 0), cast(1, t.dtype), mul(exp(minimum(t, 0)), alpha));
  });
}

/** Options of {@link threshold} and {@link dThreshold}. */
export interface ThresholdOptions {
  /** Threshold (default 1). */
  readonly thr?: number;
}

/**
 * Unit step at `thr`: `[x ≥ thr]`.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { threshold } from "./activations.ts";
 * using y = threshold([0.5, 1, 2]);
 * console.assert(y.dataSync().join() === "0,1,1");
 * ```
 */
export function threshold(x: TensorLike, options: ThresholdOptions = {}): Tensor {
  const thr = checkNumber("threshold", "thr", options.thr ?? 1);
  return tidy(() => {
    const t = floatInput("threshold", x);
    return indicator(greaterEqual(t, thr), t);
  });
}

/**
 * Straight-through derivative of {@link threshold}: ones.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dThreshold } from "./activations.ts";
 * using d = dThreshold([-3, 3]);
 * console.assert(d.dataSync().join() === "1,1");
 * ```
 */
export function dThreshold(x: TensorLike, options: ThresholdOptions = {}): Tensor {
  checkNumber("dThreshold", "thr", options.thr ?? 1);
  return tidy(() => onesLike(floatInput("dThreshold", x)));
}

/**
 * Heaviside step `[x ≥ 0]` (1 at 0).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { heaviside } from "./activations.ts";
 * using y = heaviside([-1, 0, 1]);
 * console.assert(y.dataSync().join() === "0,1,1");
 * ```
 */
export function heaviside(x: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput("heaviside", x);
    return indicator(greaterEqual(t, 0), t);
  });
}

/**
 * Straight-through derivative of {@link heaviside}: ones.
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dHeaviside } from "./activations.ts";
 * using d = dHeaviside([-1, 1]);
 * console.assert(d.dataSync().join() === "1,1");
 * ```
 */
export function dHeaviside(x: TensorLike): Tensor {
  return tidy(() => onesLike(floatInput("dHeaviside", x)));
}

/** Options of {@link binarize}. */
export interface BinarizeOptions {
  /** Cut-off (default 0.5). */
  readonly threshold?: number;
}

/**
 * `[data > threshold]` as floats (strict, as ngclearn's code: a value equal to
 * the threshold gives 0).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { binarize } from "./activations.ts";
 * using y = binarize([0.25, 0.5, 0.75]);
 * console.assert(y.dataSync().join() === "0,0,1");
 * ```
 */
export function binarize(data: TensorLike, options: BinarizeOptions = {}): Tensor {
  const thr = checkNumber("binarize", "threshold", options.threshold ?? 0.5);
  return tidy(() => {
    const t = floatInput("binarize", data);
    return indicator(greater(t, thr), t);
  });
}

/** Bounds of {@link clip} and {@link dClip}. */
export interface ClipOptions {
  /** Lower bound (default −Infinity: none). */
  readonly minVal?: number;
  /** Upper bound (default +Infinity: none). */
  readonly maxVal?: number;
}

function clipBounds(fn: string, options: ClipOptions): [number, number] {
  const lo = checkNumber(fn, "minVal", options.minVal ?? -Infinity);
  const hi = checkNumber(fn, "maxVal", options.maxVal ?? Infinity);
  return [lo, hi];
}

/**
 * Clamp to `[minVal, maxVal]` (ngclearn's `clip(x, min_val, max_val)`; the
 * bounds go in the options object here).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { clip } from "./activations.ts";
 * using y = clip([-2, 0.5, 3], { minVal: -1, maxVal: 2.5 });
 * console.assert(y.dataSync().join() === "-1,0.5,2.5");
 * ```
 */
export function clip(x: TensorLike, options: ClipOptions = {}): Tensor {
  const [lo, hi] = clipBounds("clip", options);
  return tidy(() => minimum(maximum(floatInput("clip", x), lo), hi));
}

/**
 * Derivative of {@link clip}: 0 where `x < minVal` or `x > maxVal`, else 1
 * (the closed interval passes the gradient).
 *
 * @example
 * ```ts
 * import "../../mod.ts"; // registers the backends
 * import { dClip } from "./activations.ts";
 * using d = dClip([-2, -1, 2.5, 3], { minVal: -1, maxVal: 2.5 });
 * console.assert(d.dataSync().join() === "0,1,1,0");
 * ```
 */
export function dClip(x: TensorLike, options: ClipOptions = {}): Tensor {
  const [lo, hi] = clipBounds("dClip", options);
  return tidy(() => {
    const t = floatInput("dClip", x);
    return indicator(logicalAnd(greaterEqual(t, lo), lessEqual(t, hi)), t);
  });
}
