/**
 * `leapfrog`: `L` steps of the leapfrog / velocity-Verlet integrator for
 * `q'' = dfq(t, q, params)` (ngclearn `ode_utils.leapfrog`, with its position
 * update fixed to use the half-step momentum).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import { add, mul } from "../../core/ops/mod.ts";
import { toTensor } from "../../core/ops/convert.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import { scan } from "../../core/scan.ts";
import type { Tensor } from "../../core/tensor.ts";
import {
  callRhs,
  checkDt,
  checkFn,
  checkTime,
  type OdeFn,
  type SameTime,
  type Time,
  toState,
} from "./common.ts";

/**
 * The state of {@link leapfrog}: time (default 0), position `q`, momentum `p`
 * (same shape as `q`).
 *
 * @example
 * ```ts
 * import type { LeapfrogState } from "./leapfrog.ts";
 * const s: LeapfrogState = { t: 0, q: [1], p: [0] };
 * console.assert(s.q !== s.p);
 * ```
 */
export interface LeapfrogState<Tm extends Time = Time> {
  /** Current time (default 0). */
  readonly t?: Tm;
  /** Position. */
  readonly q: TensorLike;
  /** Momentum, `q`'s shape. */
  readonly p: TensorLike;
}

/**
 * The result of {@link leapfrog}: time `t + L·h` (in the form `t` was given),
 * position and momentum after `L` steps.
 *
 * @example
 * ```ts
 * import type { LeapfrogResult } from "./leapfrog.ts";
 * const keys: (keyof LeapfrogResult)[] = ["t", "q", "p"];
 * console.assert(keys.length === 3);
 * ```
 */
export interface LeapfrogResult<Tm extends Time = Time> {
  /** Time after the steps (a number for a number time, else a 0-d tensor). */
  readonly t: SameTime<Tm>;
  /** Position after the steps. */
  readonly q: Tensor;
  /** Momentum after the steps. */
  readonly p: Tensor;
}

/**
 * Options of {@link leapfrog} (ngclearn's `L`, `step_size`, `params`).
 *
 * @example
 * ```ts
 * import type { LeapfrogOptions } from "./leapfrog.ts";
 * const o: LeapfrogOptions<{ k: number }> = { L: 10, stepSize: 0.1, params: { k: 1 } };
 * console.assert(o.L === 10);
 * ```
 */
export interface LeapfrogOptions<P = unknown> {
  /** Number of steps (integer >= 0). */
  readonly L: number;
  /** Step size `h` (> 0). */
  readonly stepSize: number;
  /** Passed through to `dfq` (default undefined). */
  readonly params?: P;
}

type Carry = { t: Tensor; q: Tensor; p: Tensor; a: Tensor };

/**
 * `L` leapfrog (velocity-Verlet) steps for the force `dfq(t, q, params)`:
 * `p½ = p + (h/2)·a(t, q)`, `q' = q + h·p½`, `p' = p½ + (h/2)·a(t + h, q')`,
 * `t' = t + h` — second order, symplectic, time-reversible. ngclearn's
 * `leapfrog` updates `q` with the old `p` (`q' = q + h·p`), a first-order,
 * energy-drifting typo; this port implements the textbook scheme.
 *
 * Runs as one `scan` with the time a 0-d tensor in `q`'s dtype (what `dfq`
 * receives); the returned `t` has the form of `state.t` (a number is advanced
 * on the host by repeated addition). The force at the end of a step is reused
 * at the start of the next (L + 1 force evaluations, same values as 2L).
 * Differentiable with `grad`.
 *
 * @example
 * ```ts
 * import { mul, neg, tensor, type Tensor } from "../../mod.ts";
 * import { leapfrog } from "./mod.ts";
 * const spring = (_t: unknown, q: Tensor, k: number) => neg(mul(q, k)); // harmonic force
 * using q0 = tensor([1]);
 * using p0 = tensor([0]);
 * const { t, q, p } = leapfrog(spring, { q: q0, p: p0 }, { L: 100, stepSize: 0.01, params: 1 });
 * console.assert(Math.abs(t - 1) < 1e-12);
 * console.log(await q.array(), Math.cos(1)); // ≈ cos(1)
 * q.dispose();
 * p.dispose();
 * ```
 */
export function leapfrog<P = unknown, Tm extends Time = number>(
  dfq: OdeFn<P>,
  state: LeapfrogState<Tm>,
  options: LeapfrogOptions<P>,
): LeapfrogResult<Tm> {
  const fn = "leapfrog";
  checkFn(fn, dfq, "dfq");
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    throw typeError(fn, `state must be an object { t, q, p }, got ${state}`);
  }
  if (options === null || typeof options !== "object") {
    throw typeError(fn, `options must be an object { L, stepSize, params }, got ${options}`);
  }
  const L = options.L;
  if (typeof L !== "number") throw typeError(fn, `L must be a number, got ${typeof L}`);
  if (!Number.isInteger(L) || L < 0) throw rangeError(fn, `L must be an integer >= 0, got ${L}`);
  const h = checkDt(fn, options.stepSize, "stepSize");
  const t0 = checkTime(fn, state.t) as Tm;
  const params = options.params as P;
  const half = h / 2;
  const out = tidy(() => {
    const q = toState(fn, state.q, "q");
    const p = toState(fn, state.p, "p");
    if (q.dtype !== p.dtype || fmtShape(q.shape) !== fmtShape(p.shape)) {
      throw typeError(
        fn,
        `q and p must have one shape and dtype, got ${q.dtype} ${
          fmtShape(q.shape)
        } and ${p.dtype} ${fmtShape(p.shape)}`,
      );
    }
    const t: Tensor = typeof t0 === "number"
      ? toTensor(t0, fn, { dtype: q.dtype, backend: q.backend })
      : t0 as Tensor;
    const a = callRhs(fn, dfq, t, q, params, "dfq");
    const [last] = scan(
      (c: Carry, _: null) => {
        const pHalf = add(c.p, mul(c.a, half));
        const qNew = add(c.q, mul(pHalf, h));
        const tNew = add(c.t, h);
        const aNew = callRhs(fn, dfq, tNew, qNew, params, "dfq");
        return [{ t: tNew, q: qNew, p: add(pHalf, mul(aNew, half)), a: aNew }, null] as const;
      },
      { t, q, p, a },
      null,
      { length: L },
    );
    return { t: last.t, q: last.q, p: last.p };
  });
  if (typeof t0 !== "number") return out as LeapfrogResult<Tm>;
  out.t.dispose();
  let tHost = t0 as number;
  for (let i = 0; i < L; i++) tHost += h;
  return { t: tHost as SameTime<Tm>, q: out.q, p: out.p };
}
