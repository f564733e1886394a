/**
 * The example dynamical systems of ngclearn's `diffeq/odes.py`:
 * {@link linear2D}, {@link cubic2D}, {@link lorenz}, {@link linear3D},
 * {@link oscillator}. Each is an `OdeFn` `(t, x, params) → dx/dt`; `t` and
 * `params` are unused; `x` may be batched `(..., n)` with the state on the
 * last axis; constants follow `x`'s dtype (float32 or float64).
 *
 * @module
 */

import { tidy } from "../../core/engine.ts";
import { fmtShape, rangeError, typeError } from "../../core/errors.ts";
import { add, concat, matmul, mul, split, sub, tensor } from "../../core/ops/mod.ts";
import type { TensorLike } from "../../core/ops/convert.ts";
import type { Tensor } from "../../core/tensor.ts";
import { type Time, toState } from "./common.ts";

/** The state as a float tensor whose last axis has `n` entries. */
function stateOf(fn: string, x: TensorLike, n: number): Tensor {
  const t = toState(fn, x);
  if (t.shape[t.rank - 1] !== n) {
    throw typeError(fn, `x must have shape (..., ${n}), got ${fmtShape(t.shape)}`);
  }
  return t;
}

/** `x @ Mᵀ` with the constant matrix `M` in `x`'s dtype on `x`'s backend. */
function linearMap(x: Tensor, mT: number[][]): Tensor {
  return matmul(x, tensor(mT, { dtype: x.dtype, backend: x.backend }));
}

/**
 * The damped linear spiral `dx/dt = x @ Aᵀ`, `A = [[-0.1, 2], [-2, -0.1]]`,
 * i.e. `[-0.1·x0 + 2·x1, -2·x0 - 0.1·x1]` (ngclearn `linear_2D`; suggested
 * `x0 = [3, -1.5]`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { linear2D } from "./mod.ts";
 * using x = tensor([3, -1.5]);
 * using dx = linear2D(0, x);
 * console.log(await dx.array()); // ≈ [-3.3, -5.85]
 * ```
 */
export function linear2D(_t: Time, x: TensorLike, _params?: unknown): Tensor {
  return tidy(() => linearMap(stateOf("linear2D", x, 2), [[-0.1, -2], [2, -0.1]]));
}

/**
 * The cubic spiral `dx/dt = x³ @ Aᵀ`, `A = [[-0.1, 2], [-2, -0.1]]`
 * (ngclearn `cubic_2D`; suggested `x0 = [2, 0]`). `x³` is formed as `x·x·x`
 * (exact for negative `x` on every backend, unlike `pow`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { cubic2D } from "./mod.ts";
 * using x = tensor([2, 0]);
 * using dx = cubic2D(0, x);
 * console.log(await dx.array()); // ≈ [-0.8, -16]
 * ```
 */
export function cubic2D(_t: Time, x: TensorLike, _params?: unknown): Tensor {
  return tidy(() => {
    const s = stateOf("cubic2D", x, 2);
    return linearMap(mul(mul(s, s), s), [[-0.1, -2], [2, -0.1]]);
  });
}

/**
 * The Lorenz system with σ = 10, ρ = 28, β = 8/3:
 * `[10·(y - x), x·(28 - z) - y, x·y - (8/3)·z]` (ngclearn `lorenz`; suggested
 * `x0 = [-8, 7, 27]`).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { lorenz } from "./mod.ts";
 * using x = tensor([-8, 7, 27]);
 * using dx = lorenz(0, x);
 * console.log(await dx.array()); // [150, -15, -128]
 * ```
 */
export function lorenz(_t: Time, x: TensorLike, _params?: unknown): Tensor {
  return tidy(() => {
    const [a, b, c] = split(stateOf("lorenz", x, 3), 3, -1);
    const dx = mul(sub(b, a), 10);
    const dy = sub(sub(mul(a, 28), mul(a, c)), b);
    const dz = sub(mul(a, b), mul(c, 8 / 3));
    return concat([dx, dy, dz], -1);
  });
}

/**
 * The linear 3-D system `[-0.1·x + 2·y, -2·x - 0.1·y, -0.3·z]` (ngclearn
 * `linear_3D`; suggested `x0 = [1, 1, -1]`), computed as `x @ Aᵀ`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { linear3D } from "./mod.ts";
 * using x = tensor([1, 1, -1]);
 * using dx = linear3D(0, x);
 * console.log(await dx.array()); // ≈ [1.9, -2.1, 0.3]
 * ```
 */
export function linear3D(_t: Time, x: TensorLike, _params?: unknown): Tensor {
  return tidy(() =>
    linearMap(stateOf("linear3D", x, 3), [[-0.1, -2, 0], [2, -0.1, 0], [0, 0, -0.3]])
  );
}

/**
 * Coefficients of {@link oscillator} (ngclearn's keyword defaults).
 *
 * @example
 * ```ts
 * import type { OscillatorOptions } from "./odes.ts";
 * const o: OscillatorOptions = { omega: 2.5 };
 * console.assert(o.omega === 2.5);
 * ```
 */
export interface OscillatorOptions {
  /** Growth rate of x (default 0.05). */
  readonly mu1?: number;
  /** Growth rate of y and z (default -0.01). */
  readonly mu2?: number;
  /** Rotation frequency (default 3.0). */
  readonly omega?: number;
  /** Quadratic y coefficient (default -2.0). */
  readonly alpha?: number;
  /** Quadratic z coefficient (default -5.0). */
  readonly beta?: number;
  /** x–y coupling (default 1.1). */
  readonly sigma?: number;
}

const OSC_DEFAULTS: Required<OscillatorOptions> = {
  mu1: 0.05,
  mu2: -0.01,
  omega: 3.0,
  alpha: -2.0,
  beta: -5.0,
  sigma: 1.1,
};

/**
 * The nonlinear 3-D oscillator of ngclearn (`oscillator`; suggested
 * `x0 = [0.5, 0.05, 0.1]`), with (x, y, z) the last axis:
 * `dx = mu1·x + sigma·x·y`,
 * `dy = mu2·y + (omega + alpha·y + beta·z)·z - sigma·x²`,
 * `dz = mu2·z - omega·y - alpha·y² - beta·z·y`.
 * Pass other coefficients through a closure:
 * `(t, x, p) => oscillator(t, x, p, { omega: 2 })`.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { oscillator } from "./mod.ts";
 * using x = tensor([0.5, 0.05, 0.1]);
 * using dx = oscillator(0, x);
 * console.log(await dx.array()); // ≈ [0.0525, -0.0355, -0.121]
 * ```
 */
export function oscillator(
  _t: Time,
  x: TensorLike,
  _params?: unknown,
  options: OscillatorOptions = {},
): Tensor {
  const o = { ...OSC_DEFAULTS };
  for (const [k, v] of Object.entries(options ?? {})) {
    if (!(k in OSC_DEFAULTS)) {
      throw rangeError(
        "oscillator",
        `unknown option ${k}; known: ${Object.keys(OSC_DEFAULTS).join(", ")}`,
      );
    }
    if (v === undefined) continue;
    if (typeof v !== "number") {
      throw typeError("oscillator", `${k} must be a number, got ${typeof v}`);
    }
    o[k as keyof OscillatorOptions] = v;
  }
  return tidy(() => {
    const [a, b, c] = split(stateOf("oscillator", x, 3), 3, -1);
    const dx = mul(add(mul(b, o.sigma), o.mu1), a);
    // g = omega + alpha·y + beta·z; dy = mu2·y + g·z - sigma·x², dz = mu2·z - g·y
    // (mu2·z - omega·y - alpha·y² - beta·z·y regrouped)
    const g = add(add(mul(b, o.alpha), mul(c, o.beta)), o.omega);
    const dy = sub(add(mul(b, o.mu2), mul(g, c)), mul(mul(a, a), o.sigma));
    const dz = sub(mul(c, o.mu2), mul(g, b));
    return concat([dx, dy, dz], -1);
  });
}
