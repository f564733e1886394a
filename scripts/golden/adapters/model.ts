/**
 * Golden adapters for `ngclearn.utils.model_utils` (activations.jsonl),
 * `ngclearn.utils.surrogate_fx` (surrogate.jsonl),
 * `ngclearn.utils.distribution_generator.DistributionGenerator`
 * (initializers.jsonl) and `ngclearn.utils.matrix_utils.decompose_to_mps`
 * (linalg.jsonl).
 *
 * @module
 */

import { tidy } from "../../../core/engine.ts";
import type { Tensor } from "../../../core/tensor.ts";
import type { NestedArray } from "../../../core/tensor.ts";
import type { TensorLike } from "../../../core/ops/convert.ts";
import { matmul, norm, reshape, sub, tensor } from "../../../core/ops/mod.ts";
import { key } from "../../../core/random/mod.ts";
import * as M from "../../../utils/model/mod.ts";
import * as S from "../../../utils/surrogate.ts";
import { DistributionGenerator, type DistributionParams } from "../../../utils/distribution.ts";
import { decomposeToMps } from "../../../utils/matrix.ts";
import { type Adapter, compareValues, type GoldenCase } from "../runner.ts";

type Args = Record<string, unknown>;
const t = (v: unknown): TensorLike => tensor(v as NestedArray);
const opt = <T>(v: unknown): T | undefined => (v === undefined ? undefined : v as T);
const un = (v: unknown) => (v === undefined ? undefined : v);

/** ngclearn model_utils short name → how to call the port with ngclearn's argument names. */
const MODEL: Record<string, (a: Args) => unknown> = {
  identity: (a) => M.identity(t(a.x)),
  d_identity: (a) => M.dIdentity(t(a.x)),
  relu: (a) => M.relu(t(a.x)),
  d_relu: (a) => M.dRelu(t(a.x)),
  lrelu: (a) => M.lrelu(t(a.x)),
  d_lrelu: (a) => M.dLrelu(t(a.x)),
  relu6: (a) => M.relu6(t(a.x)),
  d_relu6: (a) => M.dRelu6(t(a.x)),
  tanh: (a) => M.tanh(t(a.x)),
  d_tanh: (a) => M.dTanh(t(a.x)),
  sigmoid: (a) => M.sigmoid(t(a.x)),
  d_sigmoid: (a) => M.dSigmoid(t(a.x)),
  softplus: (a) => M.softplus(t(a.x)),
  d_softplus: (a) => M.dSoftplus(t(a.x)),
  sine: (a) => M.sine(t(a.x), { omega0: opt(a.omega_0) }),
  d_sine: (a) => M.dSine(t(a.x), { omega0: opt(a.omega_0) }),
  telu: (a) => M.telu(t(a.x)),
  d_telu: (a) => M.dTelu(t(a.x)),
  swish: (a) => M.swish(t(a.x), a.beta as number),
  d_swish: (a) => M.dSwish(t(a.x), a.beta as number),
  silu: (a) => M.silu(t(a.x)),
  d_silu: (a) => M.dSilu(t(a.x)),
  gelu: (a) => M.gelu(t(a.x)),
  d_gelu: (a) => M.dGelu(t(a.x)),
  elu: (a) => M.elu(t(a.x), { alpha: opt(a.alpha) }),
  d_elu: (a) => M.dElu(t(a.x), { alpha: opt(a.alpha) }),
  threshold: (a) => M.threshold(t(a.x), { thr: opt(a.thr) }),
  d_threshold: (a) => M.dThreshold(t(a.x), { thr: opt(a.thr) }),
  heaviside: (a) => M.heaviside(t(a.x)),
  d_heaviside: (a) => M.dHeaviside(t(a.x)),
  binarize: (a) => M.binarize(t(a.data), { threshold: opt(a.threshold) }),
  clip: (a) => M.clip(t(a.x), { minVal: opt(a.min_val), maxVal: opt(a.max_val) }),
  d_clip: (a) => M.dClip(t(a.x), { minVal: opt(a.min_val), maxVal: opt(a.max_val) }),
  inverse_tanh: (a) => M.inverseTanh(t(a.x)),
  inverse_logistic: (a) => M.inverseLogistic(t(a.x), { clipBound: opt(a.clip_bound) }),
  inverse_sigmoid: (a) => M.inverseSigmoid(t(a.x), { clipBound: opt(a.clip_bound) }),
  threshold_soft: (a) => M.thresholdSoft(t(a.x), a.lmbda as number),
  threshold_cauchy: (a) => M.thresholdCauchy(t(a.x), a.lmbda as number),
  clamp_min: (a) => M.clampMin(t(a.x), a.min_val as number),
  clamp_max: (a) => M.clampMax(t(a.x), a.max_val as number),
  softmax: (a) => M.softmax(t(a.x), { tau: opt(a.tau) }),
  d_softmax: (a) => M.dSoftmax(t(a.x), { tau: opt(a.tau), vmapForm: opt(a.vmap_form) }),
  layer_normalize: (a) =>
    M.layerNormalize(t(a.x), {
      shift: un(a.shift) as TensorLike | undefined,
      scale: un(a.scale) as TensorLike | undefined,
    }),
  bkwta: (a) => M.bkwta(t(a.x), { nWTA: opt(a.nWTA) }),
  one_hot: (a) => M.oneHot(t(a.P)),
  lkwta: (a) => M.lkwta(t(a.x), t(a.m), { nWTA: opt(a.nWTA), clipval: opt(a.clipval) }),
  d_lkwta: (a) => M.dLkwta(t(a.x), t(a.m), { nWTA: opt(a.nWTA), clipval: opt(a.clipval) }),
  kwta: (a) => M.kwta(t(a.x), t(a.m), { nWTA: opt(a.nWTA) }),
  d_kwta: (a) => M.dKwta(t(a.x), t(a.m), { nWTA: opt(a.nWTA) }),
  quantile_lkwta: (a) =>
    M.quantileLkwta(t(a.x), t(a.m), { nWTA: opt(a.nWTA), clipval: opt(a.clipval) }),
  d_quantile_lkwta: (a) =>
    M.dQuantileLkwta(t(a.x), t(a.m), { nWTA: opt(a.nWTA), clipval: opt(a.clipval) }),
  group_mean: (a) => M.groupMean(t(a.x), t(a.masks)),
  sample_values_by_group: (a) =>
    M.sampleValuesByGroup(key(a.skey as number), t(a.values), {
      nGroups: a.n_groups as number,
    }),
  normalize_matrix: (a) =>
    M.normalizeMatrix(t(a.data), a.wnorm as number, {
      order: opt(a.order),
      axis: opt(a.axis),
      scale: opt(a.scale),
    }),
  normalize_block_matrix: (a) =>
    M.normalizeBlockMatrix(t(a.matrix), a.block_size as [number, number], {
      order: opt(a.order),
      axis: opt(a.axis),
      normTarg: opt(a.norm_targ),
    }),
  chebyshev_norm: (a) => M.chebyshevNorm(t(a.d), { axis: opt(a.axis), keepdims: opt(a.keepdims) }),
  eye_wrapped: (a) =>
    M.eyeWrapped(a.N as number, a.k as number, { values: un(a.values) as TensorLike }),
  create_block_matrix: (a) =>
    M.createBlockMatrix(t(a.map_matrix), a.group_shape as [number, number], {
      alphaInh: opt(a.alpha_inh),
      alphaExc: opt(a.alpha_exc),
    }),
  drop_out: (a) => M.dropOut(key(a.dkey as number), t(a.data), { rate: opt(a.rate) }),
  tensorstats: (a) => M.tensorstats(t(a.tensor)),
};

const PREFIX = "ngclearn.utils.model_utils.";

/** A fixed probe batch for comparing create_function's returns with the named functions. */
const PROBE = [
  [-7, -3, -1, -0.5, 0, 0.5, 1, 2.5],
  [6, 7, -0.001, 0.001, -2.516, 0.435, -2.29, 0.037],
  [2.884, -0.002, 0.71, 0.432, 2.745, -0.259, 2.668, -1.312],
];

/** Evaluate `createFunction(fun_name)` and the named reference functions on {@link PROBE}. */
async function runCreateFunction(a: Args, c: GoldenCase): Promise<Record<string, string>> {
  const [fx, dfx] = M.createFunction(a.fun_name as string);
  const exp = c.expected as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [slot, f] of [["fx", fx], ["dfx", dfx]] as const) {
    const ref = MODEL[exp[slot].slice(PREFIX.length)];
    const mine = tidy(() => f(tensor(PROBE)));
    const theirs = tidy(() => ref({ x: PROBE }) as Tensor);
    const [x, y] = [await mine.array(), await theirs.array()];
    mine.dispose();
    theirs.dispose();
    const msg = compareValues(x, y, 0, 0);
    out[slot] = msg === null ? exp[slot] : `differs from ${exp[slot]}: ${msg}`;
  }
  return out;
}

/** Surrogate builders by ngclearn name. */
type AnyEstimator = S.SpikeEstimator<Record<string, unknown>>;
const BUILDERS: Record<string, () => AnyEstimator> = {
  straight_through_estimator: () => S.straightThroughEstimator() as AnyEstimator,
  triangular_estimator: () => S.triangularEstimator(),
  explicit_triangular_estimator: () => S.explicitTriangularEstimator(),
  boxcar_estimator: () => S.boxcarEstimator(),
  arctan_estimator: () => S.arctanEstimator(),
  secant_lif_estimator: () => S.secantLifEstimator(),
};

function surrogateAdapter(builder: string, inner: "spike_fx" | "surr_fx" | "d_spike_fx"): Adapter {
  return {
    run: (a) =>
      tidy(() => {
        const est = BUILDERS[builder]();
        const v = t(a.v ?? a.j);
        const options = {
          alpha: opt<number>(a.alpha),
          window: opt<number>(a.window),
          c1: opt<number>(a.c1),
          c2: opt<number>(a.c2),
          omitScale: opt<boolean>(a.omit_scale),
        };
        for (const k of Object.keys(options) as (keyof typeof options)[]) {
          if (options[k] === undefined) delete options[k];
        }
        if (inner === "spike_fx") return est.spikeFx(v, a.thr as number);
        const f = inner === "surr_fx" ? est.surrFx : est.dSpikeFx;
        return f(v, opt<number>(a.thr), options);
      }),
  };
}

/** The statistical checks of initializers.jsonl (gen/initializers.py `eval_checks`). */
function compareChecks(actual: unknown, expected: unknown, c: GoldenCase): string | null {
  if (Array.isArray(expected)) return compareValues(actual, expected, c.rtol, c.atol);
  const checks = expected as Record<string, unknown>;
  const rows = actual as number[][];
  const shape = [rows.length, Array.isArray(rows[0]) ? rows[0].length : 0];
  const flat = rows.flat();
  const n = flat.length;
  const mean = flat.reduce((s, v) => s + v, 0) / n;
  const sd = Math.sqrt(flat.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  const mask = (m: unknown) => (m as number[][]).flat().map((v) => v !== 0);
  for (const [k, v] of Object.entries(checks)) {
    let ok: boolean;
    let got: unknown;
    switch (k) {
      case "shape":
        got = shape;
        ok = shape.join() === (v as number[]).join();
        break;
      case "mean_within": {
        const [m, tol] = v as number[];
        got = mean;
        ok = Math.abs(mean - m) <= tol;
        break;
      }
      case "std_within": {
        const [s, tol] = v as number[];
        got = sd;
        ok = Math.abs(sd - s) <= tol;
        break;
      }
      case "min_at_least":
        got = Math.min(...flat);
        ok = (got as number) >= (v as number);
        break;
      case "max_at_most":
        got = Math.max(...flat);
        ok = (got as number) <= (v as number);
        break;
      case "fraction_equal": {
        const [val, f, tol] = v as number[];
        got = flat.filter((x) => x === val).length / n;
        ok = Math.abs((got as number) - f) <= tol;
        break;
      }
      case "zeros_where": {
        const m = mask(v);
        ok = flat.every((x, i) => !m[i] || x === 0);
        got = "non-zero where zeros were expected";
        break;
      }
      case "nonzero_where": {
        const m = mask(v);
        ok = flat.every((x, i) => !m[i] || x !== 0);
        got = "a zero where non-zeros were expected";
        break;
      }
      case "nonzero_columns":
        got = shape[1] === 0 ? 0 : rows[0].filter((_, j) => rows.some((r) => r[j] !== 0)).length;
        ok = got === v;
        break;
      case "nonzero_rows":
        got = rows.filter((r) => r.some((x) => x !== 0)).length;
        ok = got === v;
        break;
      default:
        return `unknown check ${k}`;
    }
    if (!ok) return `${k}: ${JSON.stringify(v)} failed (got ${JSON.stringify(got)})`;
  }
  return null;
}

const FACTORY_ARGS: Record<string, readonly string[]> = {
  constant: ["value"],
  diag_offdiag: ["on_diag", "off_diag"],
  uniform: ["low", "high"],
  gaussian: ["mean", "std"],
  log_gaussian: ["sigma"],
  fan_in_uniform: [],
  fan_in_gaussian: [],
};

const CAMEL: Record<string, string> = {
  lower_triangle: "lowerTriangle",
  upper_triangle: "upperTriangle",
  col_mask: "colMask",
  row_mask: "rowMask",
  use_numpy: "useNumpy",
};

function initializerAdapter(factory: string): Adapter {
  return {
    run: (a) => {
      const own = FACTORY_ARGS[factory];
      const params: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(a)) {
        if (k === "shape" || k === "dkey" || own.includes(k)) continue;
        params[CAMEL[k] ?? k] = v;
      }
      const p = params as DistributionParams;
      const G = DistributionGenerator;
      const init = factory === "constant"
        ? G.constant(a.value as number, p)
        : factory === "diag_offdiag"
        ? G.diagOffdiag(a.on_diag as number, a.off_diag as number, p)
        : factory === "uniform"
        ? G.uniform({ ...p, low: opt(a.low), high: opt(a.high) })
        : factory === "gaussian"
        ? G.gaussian({ ...p, mean: opt(a.mean), std: opt(a.std) })
        : factory === "log_gaussian"
        ? G.logGaussian({ ...p, sigma: opt(a.sigma) })
        : factory === "fan_in_uniform"
        ? G.fanInUniform(p)
        : G.fanInGaussian(p);
      return init(a.shape as number[], (a.dkey as number | undefined) ?? 0);
    },
    compare: compareChecks,
  };
}

/** decompose_to_mps: shapes of the cores, the rank-k reconstruction and its Frobenius error. */
const MPS: Adapter = {
  run: (a) =>
    tidy(() => {
      const w = tensor(a.W as NestedArray);
      const { core1, core2 } = decomposeToMps(w, { bondDim: opt(a.bond_dim) });
      const [, I, k] = core1.shape;
      const O = core2.shape[1];
      const recon = matmul(reshape(core1, [I, k]), reshape(core2, [k, O]));
      return {
        core1_shape: [...core1.shape],
        core2_shape: [...core2.shape],
        reconstruction: recon,
        recon_fro_error: norm(sub(w, recon)),
      };
    }),
};

function build(): Record<string, Adapter> {
  const out: Record<string, Adapter> = {};
  for (const [name, f] of Object.entries(MODEL)) {
    out[PREFIX + name] = { run: (a) => tidy(() => f(a)) };
  }
  out[PREFIX + "create_function"] = { run: (a, ctx) => runCreateFunction(a, ctx.case) };
  for (const b of Object.keys(BUILDERS)) {
    for (const inner of ["spike_fx", "surr_fx", "d_spike_fx"] as const) {
      out[`ngclearn.utils.surrogate_fx.${b}.${inner}`] = surrogateAdapter(b, inner);
    }
  }
  for (const f of Object.keys(FACTORY_ARGS)) {
    out[`ngclearn.utils.distribution_generator.DistributionGenerator.${f}`] = initializerAdapter(f);
  }
  out["ngclearn.utils.matrix_utils.decompose_to_mps"] = MPS;
  return out;
}

/** Adapters by reference name. */
export const MODEL_ADAPTERS: Record<string, Adapter> = build();
