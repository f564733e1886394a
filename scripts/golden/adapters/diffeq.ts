/**
 * Golden adapters for `ngclearn.utils.diffeq.ode_utils` (`diffeq.jsonl`):
 * the one-step integrators, `solve_ode` (rows picked by `sample_indices`),
 * `leapfrog` (exact, energy-drift and analytic cases) and
 * `get_integrator_code`. The `dfx` / `dfq` names map to the systems of
 * `utils/diffeq/odes.ts` and to the test-only right-hand sides of
 * `../shared/golden/gen/diffeq.py` (`test.affine_t`, `test.force_harmonic`,
 * `test.force_pendulum`), defined here.
 *
 * @module
 */

import { tidy } from "../../../core/engine.ts";
import { add, matmul, mul, neg, sin, take, tensor } from "../../../core/ops/mod.ts";
import type { NestedArray, Tensor } from "../../../core/tensor.ts";
import {
  cubic2D,
  getIntegratorCode,
  leapfrog,
  linear2D,
  linear3D,
  lorenz,
  type OdeFn,
  oscillator,
  solveOde,
  stepEuler,
  type StepFn,
  stepHeun,
  stepRalston,
  stepRk2,
  stepRk4,
  type Time,
} from "../../../utils/diffeq/mod.ts";
import { type Adapter, compareValues, type GoldenCase } from "../runner.ts";

type Params = Record<string, NestedArray> | null;

/** A constant of the case's params in `x`'s dtype on `x`'s backend. */
const param = (x: Tensor, v: NestedArray): Tensor =>
  tensor(v, { dtype: x.dtype, backend: x.backend });

/** `x @ Aᵀ + b + c·t + d·t²` (test-only, gen/diffeq.py `affine_t`). */
const affineT: OdeFn<Params> = (t: Time, x: Tensor, p: Params) =>
  tidy(() => {
    const t2 = typeof t === "number" ? t * t : mul(t, t);
    const aT = matmul(x, param(x, p!.A), { transposeB: true });
    const lin = add(add(aT, param(x, p!.b)), mul(param(x, p!.c), t));
    return add(lin, mul(param(x, p!.d), t2));
  });

/** `-k·q` (test-only harmonic force). */
const forceHarmonic: OdeFn<Params> = (_t, q, p) => tidy(() => neg(mul(q, p!.k as number)));

/** `-w2·sin q` (test-only pendulum force). */
const forcePendulum: OdeFn<Params> = (_t, q, p) => tidy(() => neg(mul(sin(q), p!.w2 as number)));

const SYSTEMS: Record<string, OdeFn<Params>> = {
  linear_2D: linear2D,
  cubic_2D: cubic2D,
  lorenz,
  linear_3D: linear3D,
  oscillator: (t, x, p) => oscillator(t, x, p),
  "test.affine_t": affineT,
  "test.force_harmonic": forceHarmonic,
  "test.force_pendulum": forcePendulum,
};

function system(name: unknown): OdeFn<Params> {
  const f = SYSTEMS[name as string];
  if (!f) throw new Error(`diffeq adapter: unknown system ${String(name)}`);
  return f;
}

/** Energy of the test-only Hamiltonian systems (gen/diffeq.py `energy`). */
function energy(name: string, q: number[], p: number[], params: Record<string, number>): number {
  const pp = p.reduce((s, v) => s + v * v, 0) / 2;
  if (name === "test.force_harmonic") return pp + params.k * q.reduce((s, v) => s + v * v, 0) / 2;
  if (name === "test.force_pendulum") {
    return pp - params.w2 * q.reduce((s, v) => s + Math.cos(v), 0);
  }
  throw new Error(`diffeq adapter: no energy for ${name}`);
}

function stepAdapter(step: StepFn): Adapter {
  return {
    run: (a) =>
      tidy(() => {
        using x = tensor(a.x as NestedArray);
        const r = step(system(a.dfx), { t: a.t as number, x }, {
          dt: a.dt as number,
          params: a.params as Params,
          xScale: (a.x_scale as number | undefined) ?? 1,
        });
        return { t: r.t, x: r.x };
      }),
  };
}

const solveAdapter: Adapter = {
  run: (a, ctx) =>
    tidy(() => {
      using x0 = tensor(a.x0 as NestedArray);
      const solsOnly = (a.sols_only as boolean | undefined) ?? true;
      const r = solveOde(system(a.dfx), x0, {
        method: a.method_name as string,
        t0: a.t0 as number,
        T: a.T as number,
        dt: a.dt as number,
        params: a.params as Params,
        xScale: (a.x_scale as number | undefined) ?? 1,
        solsOnly,
      });
      if (a.T === 0) return { ts_shape: [...r.ts.shape], xs_shape: [...r.xs.shape] };
      const idx = ctx.case.sample_indices;
      const rows = (v: Tensor) => idx ? take(v, tensor(idx, { dtype: "int32" }), 0) : v;
      if (!("tFinal" in r)) return { ts: rows(r.ts), xs: rows(r.xs) };
      return {
        t_T: r.tFinal,
        x_T: r.xFinal,
        ts: rows(r.ts),
        xs: rows(r.xs),
        ts_prev: rows(r.tsPrev),
        xs_prev: rows(r.xsPrev),
      };
    }),
};

const leapfrogAdapter: Adapter = {
  run: (a) =>
    tidy(() => {
      using q = tensor(a.q_curr as NestedArray);
      using p = tensor(a.p_curr as NestedArray);
      return leapfrog(system(a.dfq), { t: a.t_curr as number, q, p }, {
        L: a.L as number,
        stepSize: a.step_size as number,
        params: a.params as Params,
      });
    }),
  compare(actual: unknown, expected: unknown, c: GoldenCase): string | null {
    const e = expected as Record<string, unknown>;
    if (!("energy_drift_at_most" in e)) return compareValues(actual, expected, c.rtol, c.atol);
    const r = actual as { t: number; q: number[]; p: number[] };
    const m = compareValues(r.t, e.t, c.rtol, c.atol, "t.");
    if (m) return m;
    const params = c.args.params as Record<string, number>;
    const name = c.args.dfq as string;
    const h0 = energy(name, c.args.q_curr as number[], c.args.p_curr as number[], params);
    const drift = Math.abs(energy(name, r.q, r.p, params) - h0);
    const bound = e.energy_drift_at_most as number;
    return drift <= bound ? null : `energy drift ${drift} > ${bound}`;
  },
};

/** `getIntegratorCode` with ngclearn's warning on unknown names silenced. */
function quietCode(name: string): number {
  const warn = console.warn;
  console.warn = () => {};
  try {
    return getIntegratorCode(name);
  } finally {
    console.warn = warn;
  }
}

const MOD = "ngclearn.utils.diffeq.ode_utils";

/** Adapters by ngclearn name. */
export const DIFFEQ_ADAPTERS: Record<string, Adapter> = {
  [`${MOD}.get_integrator_code`]: { run: (a) => quietCode(a.integrationType as string) },
  [`${MOD}.step_euler`]: stepAdapter(stepEuler),
  [`${MOD}.step_rk2`]: stepAdapter(stepRk2),
  [`${MOD}.step_heun`]: stepAdapter(stepHeun),
  [`${MOD}.step_ralston`]: stepAdapter(stepRalston),
  [`${MOD}.step_rk4`]: stepAdapter(stepRk4),
  [`${MOD}.solve_ode`]: solveAdapter,
  [`${MOD}.leapfrog`]: leapfrogAdapter,
};
