/**
 * Types and checks shared by the ODE integrators: the time value (a JS number
 * or a 0-d tensor), the right-hand side `dfx(t, x, params)`, and validation of
 * states, step sizes and `dfx` results.
 *
 * @module
 */

import { isTensor } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import { add } from "../../core/ops/mod.ts";
import { isFloat, type TensorLike, toTensor } from "../../core/ops/convert.ts";
import type { Tensor } from "../../core/tensor.ts";

/**
 * A time value: a JS number (float64, stays on the host) or a 0-d float
 * tensor (stays on the device; this is what {@link solveOde} carries through
 * `scan`). Integrators return the time in the same form they were given.
 *
 * @example
 * ```ts
 * import type { Time } from "./common.ts";
 * const t: Time = 0.5;
 * console.assert(typeof t === "number");
 * ```
 */
export type Time = number | Tensor;

/**
 * An ODE right-hand side `dx/dt = dfx(t, x, params)`, written with `core` ops.
 * `x` has shape `(..., n)` (leading axes are independent batched states) and
 * the result must have `x`'s shape and dtype. `t` is a JS number or a 0-d
 * tensor (see {@link Time}); core ops accept both, e.g. `mul(c, t)`.
 *
 * @example
 * ```ts
 * import { mul, neg } from "../../mod.ts";
 * import type { OdeFn } from "./common.ts";
 * const decay: OdeFn<{ k: number }> = (_t, x, p) => neg(mul(x, p.k));
 * console.assert(typeof decay === "function");
 * ```
 */
export type OdeFn<P = unknown> = (t: Time, x: Tensor, params: P) => Tensor;

/**
 * The time type a result has for an input time of type `Tm`: `number` for
 * any number (literal types widened), else `Tensor`.
 *
 * @example
 * ```ts
 * import type { SameTime } from "./common.ts";
 * const t: SameTime<0> = 0.25; // a number, not the literal 0
 * console.assert(t === 0.25);
 * ```
 */
export type SameTime<Tm extends Time> = Tm extends number ? number : Tensor;

/**
 * The state of an integrator: time `t` (default 0) and state `x`.
 *
 * @example
 * ```ts
 * import type { OdeState } from "./common.ts";
 * const s: OdeState = { t: 0, x: [3, -1.5] };
 * console.assert(s.t === 0);
 * ```
 */
export interface OdeState<Tm extends Time = Time> {
  /** Current time (default 0). */
  readonly t?: Tm;
  /** Current state, shape `(..., n)`. */
  readonly x: TensorLike;
}

/**
 * The state after a step: new time (same form as the input time) and state.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import type { StepResult } from "./common.ts";
 * using x = tensor([1, 2]);
 * const r: StepResult<number> = { t: 0.1, x };
 * console.assert(r.x.shape[0] === 2);
 * ```
 */
export interface StepResult<Tm extends Time = Time> {
  /** Time after the step (`t + dt`): a number for a number time, else a 0-d tensor. */
  readonly t: SameTime<Tm>;
  /** State after the step. */
  readonly x: Tensor;
}

/**
 * Options of the one-step integrators (`stepEuler`, `stepRk4`, ...).
 *
 * @example
 * ```ts
 * import type { StepOptions } from "./common.ts";
 * const o: StepOptions<null> = { dt: 0.01, params: null, xScale: 1 };
 * console.assert(o.dt > 0);
 * ```
 */
export interface StepOptions<P = unknown> {
  /** Step size `h` (> 0). */
  readonly dt: number;
  /** Passed through to `dfx` unchanged (ngclearn's `params`, default undefined). */
  readonly params?: P;
  /**
   * Multiplicative damping of the previous state (ngclearn's `x_scale`,
   * default 1): every later stage state and the result start from
   * `xScale·x` while `k1 = dfx(t, x)` sees the unscaled state.
   */
  readonly xScale?: number;
}

/** Validate a step size: a finite number > 0. */
export function checkDt(fn: string, dt: unknown, name = "dt"): number {
  if (typeof dt !== "number") throw typeError(fn, `${name} must be a number, got ${typeof dt}`);
  if (!(dt > 0) || !Number.isFinite(dt)) {
    throw rangeError(fn, `${name} must be a finite number > 0, got ${dt}`);
  }
  return dt;
}

/** Validate `xScale`: a finite number (default 1). */
export function checkScale(fn: string, s: unknown): number {
  if (s === undefined) return 1;
  if (typeof s !== "number") throw typeError(fn, `xScale must be a number, got ${typeof s}`);
  if (!Number.isFinite(s)) throw rangeError(fn, `xScale must be finite, got ${s}`);
  return s;
}

/** Validate a right-hand side function. */
export function checkFn(fn: string, f: unknown, name = "dfx"): void {
  if (typeof f !== "function") {
    throw typeError(fn, `${name} must be a function (t, x, params) => Tensor, got ${typeof f}`);
  }
}

/** Validate a time value: a finite number or a 0-d float tensor. */
export function checkTime(fn: string, t: unknown, name = "t"): Time {
  if (t === undefined) return 0;
  if (typeof t === "number") return t;
  if (isTensor(t)) {
    t.assertAlive(fn);
    if (t.rank !== 0 || !isFloat(t.dtype)) {
      throw typeError(
        fn,
        `${name} must be a number or a 0-d float tensor, got a ${t.dtype} tensor of shape ${
          fmtShape(t.shape)
        }`,
      );
    }
    return t;
  }
  throw typeError(fn, `${name} must be a number or a 0-d float tensor, got ${typeof t}`);
}

/** Convert a state to a float tensor of rank >= 1 (the caller's scope owns a conversion). */
export function toState(fn: string, x: TensorLike, name = "x"): Tensor {
  const t = toTensor(x, fn);
  if (!isFloat(t.dtype)) {
    throw typeError(fn, `${name} must be a float tensor, got dtype ${t.dtype}`);
  }
  if (t.rank === 0) {
    throw typeError(fn, `${name} must have at least one axis (..., n), got a 0-d tensor`);
  }
  return t;
}

/** `t + c` in the form of `t` (JS addition, or a 0-d tensor op). */
export function shiftTime<Tm extends Time>(t: Tm, c: number): Tm {
  return (typeof t === "number" ? t + c : add(t, c)) as Tm;
}

/** Call `dfx` and check its result has the state's shape and dtype. */
export function callRhs<P>(
  fn: string,
  dfx: OdeFn<P>,
  t: Time,
  x: Tensor,
  params: P,
  name = "dfx",
): Tensor {
  const k = dfx(t, x, params);
  if (!isTensor(k)) {
    throw typeError(fn, `${name} must return a Tensor, got ${k === null ? "null" : typeof k}`);
  }
  if (k.rank !== x.rank || k.shape.some((d, i) => d !== x.shape[i]) || k.dtype !== x.dtype) {
    throw typeError(
      fn,
      `${name} returned a ${k.dtype} tensor of shape ${
        fmtShape(k.shape)
      } for a ${x.dtype} state of shape ${fmtShape(x.shape)} (they must match)`,
    );
  }
  return k;
}
