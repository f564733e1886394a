/**
 * `deno task demo`: the backend report, core work timed on every available
 * backend, then an ngclearn-style workflow on the default backend: a linear
 * probe trained with autodiff on real handwritten digits (DataLoader, fan-in
 * initializer, metrics, clustering score), a surrogate-gradient spike, an ODE
 * solved inside `scan`, and the weights saved as NumPy `.npz`.
 *
 * @module
 */

import {
  add,
  analyzeCategorizationPerformance,
  arctanEstimator,
  backends,
  DataLoader,
  DistributionGenerator,
  getBackend,
  grad,
  loadNpz,
  logSoftmax,
  lorenz,
  matmul,
  mean,
  measureAcc,
  measureAri,
  measureSparsity,
  memory,
  mul,
  neg,
  oneHot,
  random,
  relu,
  saveNpz,
  setBackend,
  slice,
  softmax,
  solveOde,
  sub,
  sum,
  svd,
  type Tensor,
  tensor,
  tidy,
  valueAndGrad,
  zeros,
} from "../mod.ts";

// Mesa's Vulkan loader prints "XDG_RUNTIME_DIR is invalid" when the variable is unset
// (headless machines); give it a private directory so the report stays readable.
if (!Deno.env.get("XDG_RUNTIME_DIR")) {
  Deno.env.set("XDG_RUNTIME_DIR", await Deno.makeTempDir({ prefix: "ngc-xdg-" }));
}

const ms = (t0: number) => `${(performance.now() - t0).toFixed(1)} ms`;

/** Read `data/digits.csv.gz`: pixels / 16 and integer labels. */
async function loadDigits(): Promise<{ x: Float32Array; y: Int32Array; n: number }> {
  const gz = await Deno.readFile(new URL("../data/digits.csv.gz", import.meta.url));
  const text = await new Response(
    new Blob([gz]).stream().pipeThrough(new DecompressionStream("gzip")),
  ).text();
  const rows = text.trim().split("\n");
  const x = new Float32Array(rows.length * 64);
  const y = new Int32Array(rows.length);
  rows.forEach((line, i) => {
    const v = line.split(",").map(Number);
    for (let j = 0; j < 64; j++) x[i * 64 + j] = v[j] / 16;
    y[i] = v[64];
  });
  return { x, y, n: rows.length };
}

console.log("ngc-utils demo\n");
console.log("Backends:");
const reports = await backends();
for (const r of reports) {
  console.log(`  ${r.available ? "yes" : "no "}  ${r.name.padEnd(7)} ${r.reason}`);
}

// ---------------------------------------------------------------------------
console.log("\n1. Core work on every available backend (float32)");
for (const r of reports.filter((r) => r.available)) {
  await setBackend(r.name);
  const n = 256;
  const [a, b] = tidy(() => {
    const [k1, k2] = [random.key(1), random.key(2)];
    return [random.normal(k1, [n, n]), random.normal(k2, [n, n])];
  });
  await a.data(); // settle uploads before timing
  let t0 = performance.now();
  const c = matmul(a, b);
  await c.data();
  const tMatmul = performance.now() - t0;
  t0 = performance.now();
  const rowSum = tidy(() => sum(softmax(c, { axis: -1 }), { axis: -1 }));
  const sums = await rowSum.data();
  const tSoftmax = ms(t0);
  t0 = performance.now();
  const { u, s, vh } = svd(a);
  const sv = await s.data();
  console.log(
    `  ${r.name.padEnd(7)} matmul ${n}² ${tMatmul.toFixed(1)} ms ` +
      `(${(2 * n ** 3 / tMatmul / 1e6).toFixed(2)} GFLOP/s) | softmax ${tSoftmax} ` +
      `(row sum ${sums[0].toFixed(6)}) | svd ${ms(t0)} (σ ${sv[0].toFixed(2)} … ${
        sv[n - 1].toExponential(2)
      })`,
  );
  for (const t of [a, b, c, rowSum, u, s, vh]) t.dispose();
}

// ---------------------------------------------------------------------------
await setBackend(Deno.env.get("NGC_BACKEND") ?? "auto");
const backend = getBackend();
console.log(`\n2. A linear probe on handwritten digits (backend: ${backend.name})`);
const digits = await loadDigits();
const nTrain = 1347, nTest = digits.n - nTrain, classes = 10;
const xAll = tensor(digits.x, { shape: [digits.n, 64] });
const xTrain = slice(xAll, [0, 0], [nTrain, 64]);
const xTest = slice(xAll, [nTrain, 0], [nTest, 64]);
const yTrain = tensor(digits.y.subarray(0, nTrain));
const yTest = digits.y.subarray(nTrain);
const yTrainHot = oneHot(yTrain, classes);
console.log(`  data: ${digits.n} 8x8 digits, ${nTrain} train / ${nTest} test (data/README.md)`);

type Params = { w: Tensor; b: Tensor };
const params: Params = {
  w: DistributionGenerator.fanInGaussian()([64, classes], 0),
  b: zeros([1, classes]),
};
// Cross-entropy of softmax(x W + b): −mean_rows Σ_classes onehot · log softmax.
const loss = (p: Params, x: Tensor, yHot: Tensor) =>
  neg(mean(sum(mul(yHot, logSoftmax(add(matmul(x, p.w), p.b), { axis: -1 })), { axis: -1 })));
const step = valueAndGrad(loss);
const loaderKey = random.key(42);
const loader = new DataLoader([["x", xTrain], ["y", yTrainHot]], 64, { key: loaderKey });
const epochs = 30, lr = 0.5;
const tTrain = performance.now();
for (let epoch = 1; epoch <= epochs; epoch++) {
  // The epoch's loss is summed on the device and read once per epoch (no
  // readback inside the batch loop).
  let total = zeros([]), batches = 0;
  for (const [[, xb], [, yb]] of loader) {
    const [value, g] = step(params, xb, yb);
    const next = tidy(() => ({
      w: sub(params.w, mul(g.w, lr)),
      b: sub(params.b, mul(g.b, lr)),
    }));
    for (const t of [params.w, params.b, g.w, g.b, xb, yb]) t.dispose();
    params.w = next.w;
    params.b = next.b;
    const running = add(total, value);
    total.dispose();
    value.dispose();
    total = running;
    batches++;
  }
  const meanLoss = (await total.item()) / batches;
  total.dispose();
  if (epoch === 1 || epoch % 5 === 0) {
    console.log(
      `  epoch ${String(epoch).padStart(2)}/${epochs}  mean loss ${meanLoss.toFixed(4)}`,
    );
  }
}
console.log(`  trained in ${ms(tTrain)}`);
const scores = tidy(() => add(matmul(xTest, params.w), params.b));
const acc = measureAcc(scores, yTest, { extractLabelIndx: false });
const report = await analyzeCategorizationPerformance(scores, yTest, {
  extractLabelIndx: false,
});
const predicted = tidy(() => {
  const p = softmax(scores, { axis: -1 });
  return p;
});
const predLabels = new Int32Array(nTest);
const pv = await predicted.data();
for (let i = 0; i < nTest; i++) {
  let best = 0;
  for (let c = 1; c < classes; c++) if (pv[i * classes + c] > pv[i * classes + best]) best = c;
  predLabels[i] = best;
}
console.log(
  `  test accuracy ${(await acc.item()).toFixed(3)} (scikit-learn logistic regression: 0.920), ` +
    `macro precision ${report.precision.toFixed(3)}, recall ${report.recall.toFixed(3)}`,
);
console.log(`  ARI(predicted, true) = ${(await measureAri(yTest, predLabels)).toFixed(3)}`);
const hidden = tidy(() => relu(matmul(xTest, params.w)));
const sparsity = tidy(() => mean(measureSparsity(hidden)));
console.log(
  `  mean sparsity of relu(x W) codes: ${(await sparsity.item()).toFixed(3)}`,
);

// ---------------------------------------------------------------------------
console.log("\n3. A surrogate gradient through a spike (arctan estimator)");
const { spikeFx } = arctanEstimator({ alpha: 2 });
const v = tensor([-0.5, -0.1, 0.0, 0.2, 1.0]);
const dCount = grad((u: Tensor) => sum(spikeFx(u, 0)))(v);
const spikes = tidy(() => spikeFx(v, 0));
const fmt = (a: ArrayLike<number>) => Array.from(a, (x) => x.toFixed(3)).join(", ");
console.log(`  v = [${fmt(await v.data())}] → spikes [${fmt(await spikes.data())}]`);
console.log(`  d(spike count)/dv = [${fmt(await dCount.data())}] (arctan surrogate, α = 2)`);

// ---------------------------------------------------------------------------
console.log("\n4. The Lorenz system, RK4 inside scan (state stays on the device)");
const x0 = tensor([-8, 7, 27]);
let t0 = performance.now();
const sol = solveOde(lorenz, x0, { method: "rk4", T: 2000, dt: 0.01 });
const last = tidy(() => slice(sol.xs, [1999, 0], [1, 3]));
console.log(`  x(t=20) = ${Array.from(await last.data(), (x) => x.toFixed(3))} in ${ms(t0)}`);
const dX0 = grad((x: Tensor) =>
  sum(
    tidy(() => slice(solveOde(lorenz, x, { method: "rk4", T: 50, dt: 0.01 }).xs, [49, 0], [1, 3])),
  )
)(x0);
console.log(`  d Σx(t=0.5) / d x0 = ${Array.from(await dX0.data(), (x) => x.toFixed(3))}`);

// ---------------------------------------------------------------------------
console.log("\n5. Save the probe as NumPy .npz and load it back");
const dir = await Deno.makeTempDir({ prefix: "ngc-demo-" });
t0 = performance.now();
await saveNpz(`${dir}/probe.npz`, { w: params.w, b: params.b }, { compress: true });
const loaded = await loadNpz(`${dir}/probe.npz`);
const same = tidy(() => sum(sub(loaded.w, params.w)));
console.log(
  `  ${dir}/probe.npz: w ${loaded.w.shape.join("x")}, b ${loaded.b.shape.join("x")}, ` +
    `Σ(loaded − saved) = ${await same.item()} (${ms(t0)})`,
);

for (
  const t of [
    xAll,
    xTrain,
    xTest,
    yTrain,
    yTrainHot,
    params.w,
    params.b,
    scores,
    acc,
    predicted,
    hidden,
    sparsity,
    spikes,
    loaderKey,
    v,
    dCount,
    x0,
    sol.ts,
    sol.xs,
    last,
    dX0,
    loaded.w,
    loaded.b,
    same,
  ]
) t.dispose();
loader.dispose();
await Deno.remove(dir, { recursive: true });
console.log(`\nlive tensors at exit: ${memory().tensors}`);
