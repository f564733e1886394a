/**
 * `deno task demo`: the backend report, then a real computation on every
 * available backend with timings.
 *
 * @module
 */

import { backends, matmul, memory, setBackend, softmax, sum, svd, tidy } from "../mod.ts";
import { key, normal } from "../core/random/mod.ts";

function ms(t0: number): string {
  return `${(performance.now() - t0).toFixed(1)} ms`;
}

console.log("ngc-utils demo\n");
console.log("Backends:");
const reports = await backends();
for (const r of reports) {
  console.log(`  ${r.available ? "yes" : "no "}  ${r.name.padEnd(7)} ${r.reason}`);
}

for (const r of reports.filter((r) => r.available)) {
  await setBackend(r.name);
  console.log(`\n== ${r.name}`);
  const n = 256;
  const a = tidy(() => normal(key(1), [n, n]));
  const b = tidy(() => normal(key(2), [n, n]));
  let t0 = performance.now();
  const c = matmul(a, b);
  await c.data();
  console.log(`  matmul ${n}x${n} float32:   ${ms(t0)}`);
  t0 = performance.now();
  const p = softmax(c, { axis: -1 });
  const rowSum = await tidy(() => sum(p, { axis: -1 })).data();
  console.log(`  softmax rows:            ${ms(t0)} (row sums ≈ ${rowSum[0].toFixed(6)})`);
  t0 = performance.now();
  const { u, s, vh } = svd(a);
  const sv = await s.data();
  console.log(
    `  svd ${n}x${n}:             ${ms(t0)} (σ_max ${sv[0].toFixed(3)}, σ_min ${
      sv[n - 1].toExponential(2)
    })`,
  );
  for (const t of [a, b, c, p, u, s, vh]) t.dispose();
}
console.log(`\nlive tensors at exit: ${memory().tensors}`);
