/**
 * Every sampler on every available backend gives the cpu backend's result
 * (exact for words, integers and bools; float32-close for transcendental
 * paths), so keys and samplers run where the data lives.
 */

import assert from "node:assert/strict";
import { backends, getBackend, setBackend, type Tensor } from "../../../mod.ts";
import {
  bernoulli,
  bits,
  categorical,
  choice,
  exponential,
  foldIn,
  gumbel,
  key,
  lognormal,
  normal,
  permutation,
  randint,
  split,
  uniform,
} from "../../../core/random/mod.ts";
import { assertAllClose } from "../../helpers.ts";

/** name → [run, exact?] */
const CALLS: Record<string, [() => Tensor, boolean]> = {
  key: [() => key(-5), true],
  split: [() => split([0, 9], 5), true],
  splitLegacy: [() => split([0, 9], 5, { layout: "legacy" }), true],
  foldIn: [() => foldIn([3, 9], 77), true],
  bits: [() => bits([0, 9], [3, 7]), true],
  bitsLegacy: [() => bits([0, 9], [3, 7], { layout: "legacy" }), true],
  uniform: [() => uniform([0, 9], [50], { minval: -3, maxval: 2 }), true],
  normal: [() => normal([0, 9], [50]), false],
  bernoulli: [() => bernoulli([0, 9], 0.4, [50]), true],
  exponential: [() => exponential([0, 9], [50]), false],
  lognormal: [() => lognormal([0, 9], 0.3, [50]), false],
  gumbel: [() => gumbel([0, 9], [50]), false],
  categorical: [() => categorical([0, 9], [[0.1, 2, 0.5, 1]], { shape: [40, 1] }), true],
  randint: [() => randint([0, 9], [50], -7, 1000), true],
  permutation: [() => permutation([0, 9], 2000), true],
  choice: [() => choice([0, 9], 6, { shape: [30] }), true],
  choiceNoReplace: [() => choice([0, 9], 60, { shape: [20], replace: false }), true],
  choiceP: [() => choice([0, 9], 4, { shape: [30], p: [0.1, 0.2, 0.3, 0.4] }), true],
  choicePNoReplace: [
    () => choice([0, 9], 4, { shape: [3], replace: false, p: [0.1, 0.2, 0.3, 0.4] }),
    true,
  ],
};

async function runAll(): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = {};
  for (const [name, [fn]] of Object.entries(CALLS)) {
    const t = fn();
    try {
      out[name] = Array.from(await t.data());
    } finally {
      t.dispose();
    }
  }
  return out;
}

const others = (await backends()).filter((r) => r.available && r.name !== "cpu").map((r) => r.name);

for (const name of others) {
  Deno.test(`random: every sampler on ${name} equals cpu`, async () => {
    const previous = getBackend().name;
    try {
      await setBackend("cpu");
      const ref = await runAll();
      await setBackend(name);
      const got = await runAll();
      for (const [fn, [, exact]] of Object.entries(CALLS)) {
        if (exact) assert.deepEqual(got[fn], ref[fn], `${fn} on ${name}`);
        else assertAllClose(got[fn], ref[fn], { rtol: 2e-6, atol: 1e-6, msg: `${fn} on ${name}` });
      }
    } finally {
      await setBackend(previous);
    }
  });
}
