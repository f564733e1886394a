/**
 * Golden adapters for randomness: `jax.random.*`, `jax.extend.random.threefry_2x32`
 * and NumPy's legacy `RandomState` (MT19937).
 *
 * @module
 */

import * as random from "../../../core/random/mod.ts";
import { tensor } from "../../../core/ops/creation.ts";
import { tidy } from "../../../core/engine.ts";
import type { Adapter, AdapterContext } from "../runner.ts";
import type { NestedArray } from "../../../core/tensor.ts";

type Args = Record<string, unknown>;

function layout(ctx: AdapterContext): { layout?: "partitionable" | "legacy" } {
  const l = ctx.case.layout;
  return l === "legacy" || l === "partitionable" ? { layout: l } : {};
}

const keyArg = (k: unknown) => tensor(k as NestedArray, { dtype: "uint32" });

/** Adapters by reference name. */
export const PRNG_ADAPTERS: Record<string, Adapter> = {
  "jax.extend.random.threefry_2x32": {
    run: (a: Args) => random.threefry2x32(a.keypair as number[], a.count as number[]),
  },
  "jax.random.PRNGKey": { run: (a: Args) => random.key(a.seed as number) },
  "jax.random.split": {
    run: (a: Args, ctx) =>
      tidy(() => random.split(keyArg(a.key), (a.num as number) ?? 2, layout(ctx))),
  },
  "jax.random.fold_in": {
    run: (a: Args) => tidy(() => random.foldIn(keyArg(a.key), a.data as number)),
  },
  "jax.random.bits": {
    run: (a: Args, ctx) =>
      tidy(() => random.bits(keyArg(a.key), (a.shape as number[]) ?? [], layout(ctx))),
  },
  "jax.random.uniform": {
    run: (a: Args, ctx) =>
      tidy(() =>
        random.uniform(keyArg(a.key), (a.shape as number[]) ?? [], {
          minval: (a.minval as number) ?? 0,
          maxval: (a.maxval as number) ?? 1,
          ...layout(ctx),
        })
      ),
  },
  "jax.random.normal": {
    run: (a: Args, ctx) =>
      tidy(() => random.normal(keyArg(a.key), (a.shape as number[]) ?? [], layout(ctx))),
  },
  "jax.random.permutation": {
    run: (a: Args, ctx) =>
      tidy(() =>
        random.permutation(
          keyArg(a.key),
          typeof a.x === "number" ? a.x : tensor(a.x as NestedArray),
          layout(ctx),
        )
      ),
  },
  "numpy.random.MT19937.random_raw": {
    run: (a: Args) => {
      const rs = new random.RandomState(a.seed as number);
      return Array.from({ length: a.size as number }, () => rs.randomRaw());
    },
  },
  "numpy.random.RandomState.random_sample": {
    run: (a: Args) =>
      Array.from(new random.RandomState(a.seed as number).random(a.size as number) as Float64Array),
  },
  "numpy.random.RandomState.randint": {
    run: (a: Args) =>
      Array.from(
        new random.RandomState(a.seed as number).randint(
          a.low as number,
          a.high as number,
          a.size as number,
        ) as Float64Array,
      ),
  },
  "numpy.random.RandomState": {
    run: (a: Args) => {
      const rs = new random.RandomState(a.seed as number);
      return (a.calls as Args[]).map((c) =>
        c.method === "random"
          ? rs.random() as number
          : rs.randint(c.low as number, c.high as number) as number
      );
    },
  },
};
