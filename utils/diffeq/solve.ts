/**
 * `solveOde`: fixed-step integration of `dx/dt = dfx(t, x, params)` for `T`
 * steps on `core` `scan` (ngclearn `ode_utils.solve_ode`). The time and the
 * state stay on the device for the whole run, and the result is
 * differentiable with `grad` (every op inside `scan` is recorded).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { rangeError, typeError } from "../../core/errors.ts";
import { toTensor } from "../../core/ops/convert.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { scan } from "../../core/scan.ts";
import type { Tensor } from "../../core/tensor.ts";
import { checkDt, checkFn, checkScale, checkTime, type OdeFn, toState } from "./common.ts";
import { resolveMethod } from "./integrator_code.ts";
import { stepWith } from "./steps.ts";

/**
 * Options of {@link solveOde} (ngclearn's arguments and defaults).
 *
 * @example
 * ```ts
 * import type { SolveOdeOptions } from "./solve.ts";
 * const o: SolveOdeOptions<null> = { method: "rk4", T: 100, dt: 0.01 };
 * console.assert(o.T === 100);
 * ```
 */
export interface SolveOdeOptions<P = unknown> {
  /**
   * Integration method (ngclearn's `method_name`): "euler", "rk2", "heun",
   * "ralston", "rk4", or an alias `getIntegratorCode` knows ("rk1",
   * "midpoint", "rk2_heun", "rk2_ralston"). Anything else is a RangeError.
   */
  readonly method: string;
  /** Number of steps (integer >= 0). */
  readonly T: number;
  /** Step size (> 0). */
  readonly dt: number;
  /** Initial time, a number or a 0-d tensor (default 0). */
  readonly t0?: number | Tensor;
  /** Passed through to `dfx` (default undefined). */
  readonly params?: P;
  /** Damping of the previous state in every stage and step (default 1). */
  readonly xScale?: number;
  /**
   * true (default): return `{ ts, xs }` only; false: also the final carry
   * and the states before each step.
   */
  readonly solsOnly?: boolean;
}

/**
 * The trajectory of {@link solveOde}: `ts` `(T,)` = `t0 + h, ..., t0 + T·h`
 * (by repeated addition, in `x0`'s dtype) and `xs` `(T, ...x0.shape)` = the
 * states after each step (the initial state is not included).
 *
 * @example
 * ```ts
 * import type { OdeSolution } from "./solve.ts";
 * const keys: (keyof OdeSolution)[] = ["ts", "xs"];
 * console.assert(keys.length === 2);
 * ```
 */
export interface OdeSolution {
  /** Times after each step, shape `(T,)`. */
  readonly ts: Tensor;
  /** States after each step, shape `(T, ...x0.shape)`. */
  readonly xs: Tensor;
}

/**
 * The full result of {@link solveOde} with `solsOnly: false` (ngclearn's
 * `((t_T, x_T), (ts, xs), (ts_prev, xs_prev))`).
 *
 * @example
 * ```ts
 * import type { OdeSolutionFull } from "./solve.ts";
 * const keys: (keyof OdeSolutionFull)[] = ["tFinal", "xFinal", "ts", "xs", "tsPrev", "xsPrev"];
 * console.assert(keys.length === 6);
 * ```
 */
export interface OdeSolutionFull extends OdeSolution {
  /** Final time `t_T` (0-d). */
  readonly tFinal: Tensor;
  /** Final state `x_T` (`x0`'s shape). */
  readonly xFinal: Tensor;
  /** Times before each step, `t0 ... t0 + (T-1)·h`, shape `(T,)`. */
  readonly tsPrev: Tensor;
  /** States before each step (starting with `x0`), shape `(T, ...x0.shape)`. */
  readonly xsPrev: Tensor;
}

type Carry = { t: Tensor; x: Tensor };

/**
 * Integrate `dfx` for `T` fixed steps of size `dt` from `(t0, x0)` with an
 * explicit Runge-Kutta method (ngclearn `solve_ode`), as one `scan`: the time
 * is a 0-d tensor in `x0`'s dtype that `dfx` receives and that accumulates by
 * repeated addition (as ngclearn's float32 `t`), and nothing is read back to
 * the host. `x0` may be batched `(..., n)`. Differentiable with `grad` with
 * respect to `x0` (and to tensors `dfx` closes over or takes in `params`).
 * The returned tensors belong to the caller.
 *
 * Errors: an unknown `method` or `dt <= 0` is a `RangeError`; a non-function
 * `dfx`, a non-float `x0` or a `dfx` result of the wrong shape is a `TypeError`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { lorenz, solveOde } from "./mod.ts";
 * using x0 = tensor([-8, 7, 27]);
 * const { ts, xs } = solveOde(lorenz, x0, { method: "rk4", T: 200, dt: 0.01 });
 * console.assert(xs.shape.join() === "200,3");
 * console.log((await ts.array() as number[])[199]); // ≈ 2
 * ts.dispose();
 * xs.dispose();
 * ```
 *
 * @example Full output, differentiated final state
 * ```ts
 * import { sum, tensor, type Tensor } from "../../mod.ts";
 * import { grad } from "../../core/autodiff/mod.ts";
 * import { linear2D, solveOde } from "./mod.ts";
 * const finalSum = (x0: Tensor) => {
 *   const r = solveOde(linear2D, x0, { method: "heun", T: 10, dt: 0.1, solsOnly: false });
 *   return sum(r.xFinal);
 * };
 * using x0 = tensor([3, -1.5]);
 * using g = grad(finalSum)(x0); // d sum(x_T) / d x0
 * console.assert(g.shape.join() === "2");
 * ```
 */
export function solveOde<P = unknown>(
  dfx: OdeFn<P>,
  x0: TensorLike,
  options: SolveOdeOptions<P> & { readonly solsOnly: false },
): OdeSolutionFull;
/** {@link solveOde} with `solsOnly` true or omitted (the default): `{ ts, xs }`. */
export function solveOde<P = unknown>(
  dfx: OdeFn<P>,
  x0: TensorLike,
  options: SolveOdeOptions<P> & { readonly solsOnly?: true },
): OdeSolution;
/** {@link solveOde} when `solsOnly` is only known at run time. */
export function solveOde<P = unknown>(
  dfx: OdeFn<P>,
  x0: TensorLike,
  options: SolveOdeOptions<P>,
): OdeSolution | OdeSolutionFull;
export function solveOde<P = unknown>(
  dfx: OdeFn<P>,
  x0: TensorLike,
  options: SolveOdeOptions<P>,
): OdeSolution | OdeSolutionFull {
  const fn = "solveOde";
  checkFn(fn, dfx);
  if (options === null || typeof options !== "object") {
    throw typeError(fn, `options must be an object { method, T, dt, ... }, got ${options}`);
  }
  const method = resolveMethod(fn, options.method);
  const T = options.T;
  if (typeof T !== "number") throw typeError(fn, `T must be a number, got ${typeof T}`);
  if (!Number.isInteger(T) || T < 0) {
    throw rangeError(fn, `T must be an integer >= 0, got ${T}`);
  }
  const dt = checkDt(fn, options.dt);
  const xScale = checkScale(fn, options.xScale);
  const t0 = checkTime(fn, options.t0, "t0");
  const solsOnly = options.solsOnly ?? true;
  if (typeof solsOnly !== "boolean") {
    throw typeError(fn, `solsOnly must be a boolean, got ${typeof solsOnly}`);
  }
  const step = stepWith(fn, method);
  const stepOpts = { dt, params: options.params as P, xScale };
  return tidy(() => {
    const x = toState(fn, x0, "x0");
    const t = typeof t0 === "number"
      ? toTensor(t0, fn, { dtype: x.dtype, backend: x.backend })
      : t0;
    const [last, ys] = scan(
      (c: Carry, _: null) => {
        const r = step(dfx, c, stepOpts);
        const y = solsOnly ? { t: r.t, x: r.x } : { t: r.t, x: r.x, tPrev: c.t, xPrev: c.x };
        return [{ t: r.t, x: r.x }, y] as const;
      },
      { t, x },
      null,
      { length: T },
    );
    const out = ys as { t: Tensor; x: Tensor; tPrev?: Tensor; xPrev?: Tensor };
    if (solsOnly) return { ts: out.t, xs: out.x };
    return {
      tFinal: last.t,
      xFinal: last.x,
      ts: out.t,
      xs: out.x,
      tsPrev: out.tPrev!,
      xsPrev: out.xPrev!,
    };
  });
}
