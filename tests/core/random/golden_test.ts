/**
 * Every case of shared/golden/prng.jsonl, on every available backend; exact
 * where the case's rtol and atol are 0, each JAX case under its layout
 * ("any": under both layouts, proving it layout-independent).
 */

import assert from "node:assert/strict";
import { backends, setBackend, type Tensor } from "../../../mod.ts";
import {
  bits,
  foldIn,
  key,
  type Layout,
  normal,
  permutation,
  RandomState,
  split,
  threefry2x32,
  uniform,
} from "../../../core/random/mod.ts";
import { assertAllClose, flat } from "../../helpers.ts";

interface Case {
  id: string;
  fn: string;
  args: Record<string, unknown>;
  expected: unknown;
  rtol: number;
  atol: number;
  layout?: "partitionable" | "legacy" | "any";
}

const text = await Deno.readTextFile(
  new URL("../../../../shared/golden/prng.jsonl", import.meta.url),
);
const cases: Case[] = text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));

// deno-lint-ignore no-explicit-any
type Args = Record<string, any>;

/** Run one case; returns a Tensor, numbers, or throws. */
function run(c: Case, layout: Layout): Tensor | number | number[] | Float64Array | Uint32Array {
  const a = c.args as Args;
  const opt = { layout };
  switch (c.fn) {
    case "jax.extend.random.threefry_2x32":
      return threefry2x32(a.keypair, a.count);
    case "jax.random.PRNGKey":
      return key(a.seed);
    case "jax.random.split":
      return split(a.key, a.num, opt);
    case "jax.random.fold_in":
      return foldIn(a.key, a.data);
    case "jax.random.bits":
      return bits(a.key, a.shape, opt);
    case "jax.random.uniform":
      return uniform(a.key, a.shape, { minval: a.minval, maxval: a.maxval, ...opt });
    case "jax.random.normal":
      return normal(a.key, a.shape, opt);
    case "jax.random.permutation":
      return permutation(a.key, a.x, opt);
    case "numpy.random.MT19937.random_raw":
      return new RandomState(a.seed).randomRaw(a.size);
    case "numpy.random.RandomState.random_sample":
      return new RandomState(a.seed).random(a.size);
    case "numpy.random.RandomState.randint":
      return new RandomState(a.seed).randint(a.low, a.high, a.size);
    case "numpy.random.RandomState": {
      const rs = new RandomState(a.seed);
      return a.calls.map((call: Args) =>
        call.method === "random" ? rs.random() : rs.randint(call.low, call.high)
      );
    }
  }
  throw new Error(`golden case ${c.id}: no runner for ${c.fn}`);
}

function expectedShape(e: unknown): number[] {
  const s: number[] = [];
  let cur = e;
  while (Array.isArray(cur)) {
    s.push(cur.length);
    cur = cur[0];
  }
  return s;
}

async function check(c: Case, layout: Layout): Promise<void> {
  const exp = c.expected as { error?: string };
  if (exp !== null && typeof exp === "object" && !Array.isArray(exp) && exp.error) {
    const ctor = exp.error === "TypeError" ? TypeError : RangeError;
    assert.throws(() => run(c, layout), ctor, `${c.id}: expected ${exp.error}`);
    return;
  }
  const out = run(c, layout);
  let values: number[];
  if (typeof out === "number" || Array.isArray(out) || ArrayBuffer.isView(out)) {
    values = flat(out);
  } else {
    const t = out as Tensor;
    try {
      assert.deepEqual([...t.shape], expectedShape(c.expected), `${c.id}: shape`);
      values = Array.from(await t.data());
    } finally {
      t.dispose();
    }
  }
  const want = flat(c.expected);
  if (c.rtol === 0 && c.atol === 0) {
    assert.deepEqual(values, want, `${c.id} (${layout})`);
  } else {
    assertAllClose(values, want, { rtol: c.rtol, atol: c.atol, msg: `${c.id} (${layout})` });
  }
}

const available = (await backends()).filter((r) => r.available).map((r) => r.name);

for (const name of available) {
  Deno.test(`golden prng.jsonl: all ${cases.length} cases on ${name}`, async () => {
    await setBackend(name);
    assert.ok(cases.length >= 70, `expected the full golden file, got ${cases.length} cases`);
    let ran = 0;
    for (const c of cases) {
      const layouts: Layout[] = c.layout === "legacy"
        ? ["legacy"]
        : c.layout === "partitionable"
        ? ["partitionable"]
        : ["partitionable", "legacy"]; // "any" and NumPy cases: the layout must not matter
      for (const l of layouts) await check(c, l);
      ran++;
    }
    assert.equal(ran, cases.length);
  });
}
