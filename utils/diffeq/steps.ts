/**
 * One-step explicit Runge-Kutta integrators of ngclearn's `ode_utils`
 * (`step_euler`, `step_rk2`, `step_heun`, `step_ralston`, `step_rk4`), with
 * ngclearn's `x_scale` semantics and batched states `(..., n)`.
 *
 * Each method is a Butcher tableau `(A, b, c)`; with `s = xScale`, `h = dt`:
 * `k1 = f(t, x)`, `k_i = f(t + c_i·h, s·x + h·Σ_j A_ij·k_j)` for i > 1, and
 * `x' = s·x + h·Σ_i b_i·k_i`, `t' = t + h` (spec `diffeq.md`).
 *
 * @module
 */

import { isTensor, tidy } from "../../core/engine.ts";
import { typeError } from "../../core/errors.ts";
import { add, mul } from "../../core/ops/mod.ts";
import type { Tensor } from "../../core/tensor.ts";
import {
  callRhs,
  checkDt,
  checkFn,
  checkScale,
  checkTime,
  type OdeFn,
  type OdeState,
  type SameTime,
  shiftTime,
  type StepOptions,
  type StepResult,
  type Time,
  toState,
} from "./common.ts";

/** An explicit Runge-Kutta method: stage matrix rows, weights, nodes. */
interface Tableau {
  /** `a[i]` = coefficients of `k_1..k_i` in stage `i + 1` (row 0 is empty). */
  readonly a: readonly (readonly number[])[];
  /** Weights `b_i` of the final combination. */
  readonly b: readonly number[];
  /** Nodes `c_i` (stage times `t + c_i·h`). */
  readonly c: readonly number[];
}

/**
 * The canonical names of ngclearn's five explicit methods.
 *
 * @example
 * ```ts
 * import type { MethodName } from "./steps.ts";
 * const m: MethodName = "rk4";
 * console.assert(m === "rk4");
 * ```
 */
export type MethodName = "euler" | "rk2" | "heun" | "ralston" | "rk4";

const TABLEAUX: Readonly<Record<MethodName, Tableau>> = {
  euler: { a: [[]], b: [1], c: [0] },
  rk2: { a: [[], [0.5]], b: [0, 1], c: [0, 0.5] }, // explicit midpoint
  heun: { a: [[], [1]], b: [0.5, 0.5], c: [0, 1] },
  ralston: { a: [[], [0.75]], b: [1 / 3, 2 / 3], c: [0, 0.75] },
  rk4: {
    a: [[], [0.5], [0, 0.5], [0, 0, 1]],
    b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
    c: [0, 0.5, 0.5, 1],
  },
};

/**
 * `base + Σ coef_i·k_i`, summing the `k_i` that share a coefficient first
 * (RK4's `h/6·(k1 + k4) + h/3·(k2 + k3)`: 6 kernels instead of 8).
 */
function combine(base: Tensor, ks: readonly Tensor[], coefs: readonly number[]): Tensor {
  const groups = new Map<number, Tensor>();
  ks.forEach((k, i) => {
    const c = coefs[i];
    if (c === 0 || c === undefined) return;
    const g = groups.get(c);
    groups.set(c, g ? add(g, k) : k);
  });
  // Sum the increments first, then add them to the state once: one rounding
  // at the state's magnitude per stage (as ngclearn's `x·s + Σ·h`).
  let inc: Tensor | null = null;
  for (const [c, g] of groups) {
    const term = mul(g, c);
    inc = inc ? add(inc, term) : term;
  }
  return inc ? add(base, inc) : base;
}

/**
 * A one-step integrator: `(dfx, { t, x }, { dt, params, xScale })` →
 * `{ t + dt, x' }`, the time in the form it was given.
 *
 * @example
 * ```ts
 * import type { StepFn } from "./steps.ts";
 * import { stepRk4 } from "./mod.ts";
 * const f: StepFn = stepRk4;
 * console.assert(typeof f === "function");
 * ```
 */
export type StepFn = <P = unknown, Tm extends Time = number>(
  dfx: OdeFn<P>,
  state: OdeState<Tm>,
  options: StepOptions<P>,
) => StepResult<Tm>;

/**
 * The one-step integrator of a method, reporting errors as `fnName(): ...`
 * (used by `solveOde` so its messages name `solveOde`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { stepWith } from "./steps.ts";
 * const heun = stepWith("myHeun", "heun");
 * using x0 = tensor([1]);
 * const r = heun((_t, x) => x, { x: x0 }, { dt: 0.1 });
 * console.assert(Math.abs(r.x.dataSync()[0] - 1.105) < 1e-6 && r.t === 0.1);
 * r.x.dispose();
 * ```
 */
export function stepWith(fnName: string, method: MethodName): StepFn {
  const tableau = TABLEAUX[method];
  if (!tableau) throw new RangeError(`stepWith(): unknown method ${JSON.stringify(method)}`);
  return <P, Tm extends Time = number>(
    dfx: OdeFn<P>,
    state: OdeState<Tm>,
    options: StepOptions<P>,
  ): StepResult<Tm> => {
    const fn = fnName;
    checkFn(fn, dfx);
    if (state === null || typeof state !== "object" || isTensor(state) || Array.isArray(state)) {
      throw typeError(fn, `state must be an object { t, x }, got ${describe(state)}`);
    }
    if (options === null || typeof options !== "object") {
      throw typeError(
        fn,
        `options must be an object { dt, params, xScale }, got ${describe(options)}`,
      );
    }
    const h = checkDt(fn, options.dt);
    const s = checkScale(fn, options.xScale);
    const t = checkTime(fn, state.t) as Tm;
    const params = options.params as P;
    return tidy(() => {
      const x = toState(fn, state.x);
      const sx = s === 1 ? x : mul(x, s);
      const ks: Tensor[] = [];
      // stage times t + c·h, each formed once (RK4 has c = 1/2 twice; c = 1 is also t')
      const times = new Map<number, Time>([[0, t]]);
      const timeAt = (c: number): Time => {
        let ti = times.get(c);
        if (ti === undefined) times.set(c, ti = shiftTime(t, c * h));
        return ti;
      };
      for (let i = 0; i < tableau.b.length; i++) {
        const xi = i === 0 ? x : combine(sx, ks, tableau.a[i].map((a) => a * h));
        ks.push(callRhs(fn, dfx, timeAt(tableau.c[i]), xi, params));
      }
      const tNew = timeAt(1) as SameTime<Tm>;
      return { t: tNew, x: combine(sx, ks, tableau.b.map((b) => b * h)) };
    });
  };
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (isTensor(v)) return "a Tensor";
  if (Array.isArray(v)) return "an array";
  return typeof v;
}

const EULER = stepWith("stepEuler", "euler");
const RK2 = stepWith("stepRk2", "rk2");
const HEUN = stepWith("stepHeun", "heun");
const RALSTON = stepWith("stepRalston", "ralston");
const RK4 = stepWith("stepRk4", "rk4");

/**
 * One forward-Euler step: `x' = s·x + h·f(t, x)`, `t' = t + h`
 * (ngclearn `step_euler`). `state.t` is a number or a 0-d tensor and comes
 * back in the same form; `x` may be batched `(..., n)`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { linear2D, stepEuler } from "./mod.ts";
 * using x0 = tensor([3, -1.5]);
 * const { t, x } = stepEuler(linear2D, { t: 0, x: x0 }, { dt: 0.1 });
 * console.assert(t === 0.1);
 * console.log(await x.array()); // ≈ [2.67, -2.085]
 * x.dispose();
 * ```
 */
export function stepEuler<P = unknown, Tm extends Time = number>(
  dfx: OdeFn<P>,
  state: OdeState<Tm>,
  options: StepOptions<P>,
): StepResult<Tm> {
  return EULER(dfx, state, options);
}

/**
 * One explicit-midpoint (RK2) step: `x_m = s·x + (h/2)·k1`,
 * `k2 = f(t + h/2, x_m)`, `x' = s·x + h·k2` (ngclearn `step_rk2`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { linear2D, stepRk2 } from "./mod.ts";
 * using x0 = tensor([3, -1.5]);
 * const { x } = stepRk2(linear2D, { x: x0 }, { dt: 0.1 });
 * console.log(await x.array());
 * x.dispose();
 * ```
 */
export function stepRk2<P = unknown, Tm extends Time = number>(
  dfx: OdeFn<P>,
  state: OdeState<Tm>,
  options: StepOptions<P>,
): StepResult<Tm> {
  return RK2(dfx, state, options);
}

/**
 * One Heun step: `x_p = s·x + h·k1`, `k2 = f(t + h, x_p)`,
 * `x' = s·x + (h/2)·(k1 + k2)` (ngclearn `step_heun`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { linear2D, stepHeun } from "./mod.ts";
 * using x0 = tensor([3, -1.5]);
 * const { x } = stepHeun(linear2D, { x: x0 }, { dt: 0.1, xScale: 0.9 });
 * console.log(await x.array());
 * x.dispose();
 * ```
 */
export function stepHeun<P = unknown, Tm extends Time = number>(
  dfx: OdeFn<P>,
  state: OdeState<Tm>,
  options: StepOptions<P>,
): StepResult<Tm> {
  return HEUN(dfx, state, options);
}

/**
 * One Ralston step: `x_m = s·x + (3h/4)·k1`, `k2 = f(t + 3h/4, x_m)`,
 * `x' = s·x + h·(k1/3 + 2·k2/3)` (ngclearn `step_ralston`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { lorenz, stepRalston } from "./mod.ts";
 * using x0 = tensor([-8, 7, 27]);
 * const { x } = stepRalston(lorenz, { x: x0 }, { dt: 0.01 });
 * console.log(await x.array());
 * x.dispose();
 * ```
 */
export function stepRalston<P = unknown, Tm extends Time = number>(
  dfx: OdeFn<P>,
  state: OdeState<Tm>,
  options: StepOptions<P>,
): StepResult<Tm> {
  return RALSTON(dfx, state, options);
}

/**
 * One classical fourth-order Runge-Kutta step (ngclearn `step_rk4`):
 * `k2 = f(t + h/2, s·x + (h/2)·k1)`, `k3 = f(t + h/2, s·x + (h/2)·k2)`,
 * `k4 = f(t + h, s·x + h·k3)`, `x' = s·x + h·(k1 + 2k2 + 2k3 + k4)/6`.
 *
 * @example
 * ```ts
 * import { scalar, tensor } from "../../mod.ts";
 * import { linear2D, stepRk4 } from "./mod.ts";
 * using t0 = scalar(0);
 * using x0 = tensor([[3, -1.5], [0, 1]]); // two independent states
 * const { t, x } = stepRk4(linear2D, { t: t0, x: x0 }, { dt: 0.01 });
 * console.assert(t.shape.length === 0 && x.shape.join() === "2,2"); // a tensor time stays a tensor
 * t.dispose();
 * x.dispose();
 * ```
 */
export function stepRk4<P = unknown, Tm extends Time = number>(
  dfx: OdeFn<P>,
  state: OdeState<Tm>,
  options: StepOptions<P>,
): StepResult<Tm> {
  return RK4(dfx, state, options);
}
