/**
 * Spike functions with surrogate derivatives (`ngclearn.utils.surrogate_fx`;
 * spec: model-utils.md, "surrogate_fx"). Each builder returns
 * `{ spikeFx, surrFx, dSpikeFx }`:
 * - `spikeFx(v, thr)` = `[v > thr]` (strict, float), wired to autodiff with
 *   `customVjp`: under `grad` its derivative is the estimator's `dSpikeFx`
 *   (and `−dSpikeFx` for a tensor threshold, since the spike depends on
 *   `v − thr`);
 * - `surrFx`: the smooth function the estimator stands for (`spikeFx` itself
 *   for the piecewise estimators);
 * - `dSpikeFx`: the surrogate derivative.
 * ngclearn returns `(spike_fx, d_spike_fx)` or, with `get_surr_fx=True`,
 * `(spike_fx, surr_fx, d_spike_fx)`; here all three are always returned.
 * Builder options set the defaults of the shape parameters (alpha, window,
 * c1, c2, omitScale) used by `dSpikeFx`, `surrFx` and the gradient.
 *
 * @module
 */

import { isTensor, tidy } from "../core/engine.ts";
import { typeError } from "../core/errors.ts";
import type { Tensor } from "../core/tensor.ts";
import type { TensorLike } from "../core/ops/convert.ts";
import {
  abs,
  add,
  atan,
  cast,
  cosh,
  div,
  greater,
  lessEqual,
  maximum,
  mul,
  neg,
  onesLike,
  reciprocal,
  square,
  sub,
  tanh,
} from "../core/ops/mod.ts";
import { customVjp } from "../core/autodiff/mod.ts";
import { unbroadcast } from "../core/autodiff/rules/util.ts";
import { checkBool, checkNumber, floatInput } from "./model/common.ts";

/** The spike function `[v > thr]`, differentiable through its surrogate. */
export type SpikeFx = (v: TensorLike, thr: TensorLike) => Tensor;

/** A surrogate function or derivative: `(v, thr = 0, options?) → tensor`. */
export type SurrogateFx<O> = (v: TensorLike, thr?: TensorLike, options?: O) => Tensor;

/** What every builder returns. */
export interface SpikeEstimator<O> {
  /** `[v > thr]` as floats; `grad` through it uses {@link SpikeEstimator.dSpikeFx}. */
  readonly spikeFx: SpikeFx;
  /** The smooth surrogate (ngclearn's `surr_fx`, the middle of the 3-tuple). */
  readonly surrFx: SurrogateFx<O>;
  /** The surrogate derivative (ngclearn's `d_spike_fx`). */
  readonly dSpikeFx: SurrogateFx<O>;
}

/** `[v > thr]` in v's float dtype. */
function heavisideStrict(fn: string, v: TensorLike, thr: TensorLike): Tensor {
  return tidy(() => {
    const t = floatInput(fn, v);
    return cast(greater(t, thr), t.dtype);
  });
}

/**
 * Build the autodiff-wired spike function: forward `[v > thr]`, backward
 * `g·d(v, thr)` for v and `−g·d(v, thr)` for a tensor threshold.
 */
function wiredSpike(fn: string, d: (v: Tensor, thr: TensorLike) => Tensor): SpikeFx {
  const f = customVjp(
    (v: TensorLike, thr: TensorLike) => heavisideStrict(fn, v, thr),
    ({ inputs: [v, thr] }, g) => {
      const vt = v as Tensor;
      const dv = mul(g, d(vt, thr));
      const gv = unbroadcast(dv, vt.shape);
      const gthr = isTensor(thr) ? unbroadcast(neg(dv), thr.shape) : null;
      return [gv, gthr];
    },
  );
  return (v: TensorLike, thr: TensorLike): Tensor => {
    if (thr === undefined) throw typeError(fn, "thr is required: spikeFx(v, thr)");
    return f(v, thr);
  };
}

function checkOptions(fn: string, options: unknown): void {
  if (options !== undefined && (options === null || typeof options !== "object")) {
    throw typeError(
      fn,
      `options must be an object, got ${options === null ? "null" : typeof options}`,
    );
  }
}

/**
 * Straight-through estimator: `dSpikeFx(v, thr) = 1` (ones of v's shape);
 * `surrFx` is `spikeFx` itself.
 *
 * @example
 * ```ts
 * import { sum, tensor, type Tensor } from "../mod.ts";
 * import { straightThroughEstimator } from "./surrogate.ts";
 * import { grad } from "../core/autodiff/mod.ts";
 * const { spikeFx } = straightThroughEstimator();
 * using v = tensor([-1, 0.5, 2]);
 * using s = spikeFx(v, 0.5);
 * using g = grad((x: Tensor) => sum(spikeFx(x, 0.5)))(v);
 * console.assert(s.dataSync().join() === "0,0,1" && g.dataSync().join() === "1,1,1");
 * ```
 */
export function straightThroughEstimator(): SpikeEstimator<Record<never, never>> {
  const fn = "straightThroughEstimator";
  const d = (v: TensorLike, _thr?: TensorLike, options?: Record<never, never>): Tensor => {
    checkOptions(fn, options);
    return tidy(() => onesLike(floatInput(fn, v)));
  };
  return {
    spikeFx: wiredSpike(fn, (v) => onesLike(v)),
    surrFx: (v: TensorLike, thr?: TensorLike) => heavisideStrict(fn, v, thr ?? 0),
    dSpikeFx: d,
  };
}

/** Options of {@link triangularEstimator}. */
export interface TriangularOptions {
  /** Slope of the triangle (default 2.0). */
  readonly alpha?: number;
}

/**
 * Triangular estimator: `dSpikeFx(v, thr = 0, { alpha = 2 }) =
 * max(0, 1 − alpha·|v − thr|)`; `surrFx` is `spikeFx`.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { triangularEstimator } from "./surrogate.ts";
 * const { dSpikeFx } = triangularEstimator();
 * using d = dSpikeFx([0, 0.25, 1]);
 * console.assert(d.dataSync().join() === "1,0.5,0");
 * ```
 */
export function triangularEstimator(
  options: TriangularOptions = {},
): SpikeEstimator<TriangularOptions> {
  const fn = "triangularEstimator";
  checkOptions(fn, options);
  const alpha0 = checkNumber(fn, "alpha", options.alpha ?? 2);
  const core = (v: Tensor, thr: TensorLike, alpha: number) =>
    maximum(sub(1, mul(abs(sub(v, thr)), alpha)), 0);
  const d = (v: TensorLike, thr?: TensorLike, o: TriangularOptions = {}): Tensor => {
    checkOptions(fn, o);
    const alpha = checkNumber(fn, "alpha", o.alpha ?? alpha0);
    return tidy(() => core(floatInput(fn, v), thr ?? 0, alpha));
  };
  return {
    spikeFx: wiredSpike(fn, (v, thr) => core(v, thr, alpha0)),
    surrFx: (v: TensorLike, thr?: TensorLike) => heavisideStrict(fn, v, thr ?? 0),
    dSpikeFx: d,
  };
}

/** Options of {@link explicitTriangularEstimator} and {@link boxcarEstimator}. */
export interface WindowOptions {
  /** Half-width of the window around the threshold (default 5.0). */
  readonly window?: number;
}

/**
 * Explicit triangular estimator: `dSpikeFx(v, thr = 0, { window = 5 }) =
 * max(0, 1 − |v − thr| / window)`; `surrFx` is `spikeFx`.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { explicitTriangularEstimator } from "./surrogate.ts";
 * const { dSpikeFx } = explicitTriangularEstimator();
 * using d = dSpikeFx([0, 2.5, -5, 9]);
 * console.assert(d.dataSync().join() === "1,0.5,0,0");
 * ```
 */
export function explicitTriangularEstimator(
  options: WindowOptions = {},
): SpikeEstimator<WindowOptions> {
  const fn = "explicitTriangularEstimator";
  checkOptions(fn, options);
  const window0 = checkNumber(fn, "window", options.window ?? 5);
  const core = (v: Tensor, thr: TensorLike, window: number) =>
    maximum(sub(1, div(abs(sub(v, thr)), window)), 0);
  const d = (v: TensorLike, thr?: TensorLike, o: WindowOptions = {}): Tensor => {
    checkOptions(fn, o);
    const window = checkNumber(fn, "window", o.window ?? window0);
    return tidy(() => core(floatInput(fn, v), thr ?? 0, window));
  };
  return {
    spikeFx: wiredSpike(fn, (v, thr) => core(v, thr, window0)),
    surrFx: (v: TensorLike, thr?: TensorLike) => heavisideStrict(fn, v, thr ?? 0),
    dSpikeFx: d,
  };
}

/**
 * Boxcar estimator: `dSpikeFx(v, thr = 0, { window = 5 }) =
 * [|v − thr| ≤ window]` (inclusive); `surrFx` is `spikeFx`.
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { boxcarEstimator } from "./surrogate.ts";
 * const { dSpikeFx } = boxcarEstimator({ window: 1 });
 * using d = dSpikeFx([-1, 0, 1.5], 0.5);
 * console.assert(d.dataSync().join() === "0,1,1");
 * ```
 */
export function boxcarEstimator(options: WindowOptions = {}): SpikeEstimator<WindowOptions> {
  const fn = "boxcarEstimator";
  checkOptions(fn, options);
  const window0 = checkNumber(fn, "window", options.window ?? 5);
  const core = (v: Tensor, thr: TensorLike, window: number) =>
    cast(lessEqual(abs(sub(v, thr)), window), v.dtype);
  const d = (v: TensorLike, thr?: TensorLike, o: WindowOptions = {}): Tensor => {
    checkOptions(fn, o);
    const window = checkNumber(fn, "window", o.window ?? window0);
    return tidy(() => core(floatInput(fn, v), thr ?? 0, window));
  };
  return {
    spikeFx: wiredSpike(fn, (v, thr) => core(v, thr, window0)),
    surrFx: (v: TensorLike, thr?: TensorLike) => heavisideStrict(fn, v, thr ?? 0),
    dSpikeFx: d,
  };
}

/** Options of {@link arctanEstimator}. */
export interface ArctanOptions {
  /** Sharpness (default 2.0). */
  readonly alpha?: number;
}

/**
 * Arctan estimator: `surrFx(v, thr = 0, { alpha = 2 }) =
 * (1/π)·arctan(π·(alpha/2)·(v − thr))` and its exact derivative
 * `dSpikeFx(v, thr = 0, { alpha = 2 }) = (alpha/2) / (1 + (π·(alpha/2)·(v − thr))²)`.
 * (ngclearn's `d_spike_fx` returns `(1/π) / (1 + ...)`, which is not the
 * derivative of its `surr_fx`; its `surr_fx` has no threshold.)
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { arctanEstimator } from "./surrogate.ts";
 * const { surrFx, dSpikeFx } = arctanEstimator();
 * using s = surrFx([1e9]);
 * using d = dSpikeFx([0.5], 0.5, { alpha: 4 });
 * console.assert(Math.abs(s.dataSync()[0] - 0.5) < 1e-6 && d.dataSync()[0] === 2);
 * ```
 */
export function arctanEstimator(options: ArctanOptions = {}): SpikeEstimator<ArctanOptions> {
  const fn = "arctanEstimator";
  checkOptions(fn, options);
  const alpha0 = checkNumber(fn, "alpha", options.alpha ?? 2);
  const scaled = (v: Tensor, thr: TensorLike, alpha: number) =>
    mul(sub(v, thr), Math.PI * alpha / 2);
  const core = (v: Tensor, thr: TensorLike, alpha: number) =>
    div(alpha / 2, add(square(scaled(v, thr, alpha)), 1));
  const param = (o: ArctanOptions | undefined) => {
    checkOptions(fn, o);
    return checkNumber(fn, "alpha", o?.alpha ?? alpha0);
  };
  return {
    spikeFx: wiredSpike(fn, (v, thr) => core(v, thr, alpha0)),
    surrFx: (v: TensorLike, thr?: TensorLike, o?: ArctanOptions) => {
      const alpha = param(o);
      return tidy(() => div(atan(scaled(floatInput(fn, v), thr ?? 0, alpha)), Math.PI));
    },
    dSpikeFx: (v: TensorLike, thr?: TensorLike, o?: ArctanOptions) => {
      const alpha = param(o);
      return tidy(() => core(floatInput(fn, v), thr ?? 0, alpha));
    },
  };
}

/** Options of {@link secantLifEstimator}. */
export interface SecantLifOptions {
  /** Output scale of the surrogate (default 0.82). */
  readonly c1?: number;
  /** Input gain (default 0.08). */
  readonly c2?: number;
  /** Drop the `c1·c2` factor of the derivative (default true, as ngclearn's code). */
  readonly omitScale?: boolean;
}

/**
 * Secant-LIF estimator (of the input current j; `thr` is unused, as in
 * ngclearn): `surrFx(j, thr, { c1 = 0.82, c2 = 0.08 }) = max(0, c1·tanh(c2·j))`
 * and `dSpikeFx(j, thr, { c1, c2, omitScale = true }) =
 * [j > 0]·sech²(c2·j)·(omitScale ? 1 : c1·c2)` — the derivative of the
 * surrogate (ngclearn's code uses sech, not sech²).
 *
 * @example
 * ```ts
 * import "../mod.ts"; // registers the backends
 * import { secantLifEstimator } from "./surrogate.ts";
 * const { dSpikeFx } = secantLifEstimator();
 * using d = dSpikeFx([-1, 0, 10]);
 * const v = d.dataSync();
 * console.assert(v[0] === 0 && v[1] === 0 && Math.abs(v[2] - 1 / Math.cosh(0.8) ** 2) < 1e-6);
 * ```
 */
export function secantLifEstimator(
  options: SecantLifOptions = {},
): SpikeEstimator<SecantLifOptions> {
  const fn = "secantLifEstimator";
  checkOptions(fn, options);
  const c10 = checkNumber(fn, "c1", options.c1 ?? 0.82);
  const c20 = checkNumber(fn, "c2", options.c2 ?? 0.08);
  const omit0 = checkBool(fn, "omitScale", options.omitScale ?? true);
  const params = (o: SecantLifOptions | undefined) => {
    checkOptions(fn, o);
    return {
      c1: checkNumber(fn, "c1", o?.c1 ?? c10),
      c2: checkNumber(fn, "c2", o?.c2 ?? c20),
      omit: checkBool(fn, "omitScale", o?.omitScale ?? omit0),
    };
  };
  // d/dj c1·tanh(c2·j) = c1·c2·sech²(c2·j), sech² = 1/cosh² (0 once cosh overflows)
  const core = (j: Tensor, c1: number, c2: number, omit: boolean) => {
    const sech2 = reciprocal(square(cosh(mul(j, c2))));
    const d = mul(cast(greater(j, 0), j.dtype), sech2);
    return omit ? d : mul(d, c1 * c2);
  };
  return {
    spikeFx: wiredSpike(fn, (v) => core(v, c10, c20, omit0)),
    surrFx: (j: TensorLike, _thr?: TensorLike, o?: SecantLifOptions) => {
      const p = params(o);
      return tidy(() => maximum(mul(tanh(mul(floatInput(fn, j), p.c2)), p.c1), 0));
    },
    dSpikeFx: (j: TensorLike, _thr?: TensorLike, o?: SecantLifOptions) => {
      const p = params(o);
      return tidy(() => core(floatInput(fn, j), p.c1, p.c2, p.omit));
    },
  };
}
