import assert from "node:assert/strict";
import { tensor, zeros } from "../../../core/ops/creation.ts";
import {
  analyzeCategorizationPerformance,
  analyzeScores,
  measureAcc,
} from "../../../utils/metric/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { noLeak, read, throwsLike } from "./metric_helpers.ts";

/** One-hot-ish score rows whose argmax is `g` (10 columns). */
const scoresFor = (g: number[]): number[][] =>
  g.map((k) => Array.from({ length: 10 }, (_, j) => (j === k ? 0.9 : 0.01)));

const Y = [5, 5, 0, 7, 7, 7, 0, 5];
const G = [5, 0, 0, 7, 5, 7, 9, 5];

Deno.test("measureAcc: one-hot labels (default) and integer labels (fixes ngclearn)", async () => {
  const mu = scoresFor(G);
  const oneHot = Y.map((k) => Array.from({ length: 10 }, (_, j) => (j === k ? 1 : 0)));
  const a = await read(measureAcc(mu, oneHot));
  assert.deepEqual([a.shape, a.dtype], [[], "float32"]);
  assertAllClose(a.v, [5 / 8], { rtol: 1e-6 });
  // ngclearn raises here (label variable never assigned); the documented accuracy is returned.
  assertAllClose((await read(measureAcc(mu, Y, { extractLabelIndx: false }))).v, [5 / 8], {
    rtol: 1e-6,
  });
  const yt = tensor(Y, { dtype: "int32" });
  assertAllClose((await read(measureAcc(mu, yt, { extractLabelIndx: false }))).v, [5 / 8], {
    rtol: 1e-6,
  });
  await noLeak(() => measureAcc(mu, yt, { extractLabelIndx: false }));
  await noLeak(() => measureAcc(mu, oneHot));
  yt.dispose();
  // Ties: the first index wins (as numpy's argmax).
  assertAllClose((await read(measureAcc([[0.5, 0.5]], [0], { extractLabelIndx: false }))).v, [1]);
});

Deno.test("analyzeCategorizationPerformance: misses count against the adjusted accuracy", async () => {
  const mu = scoresFor(G);
  mu[2] = mu[2].map(() => 0); // a miss: all-zero row → guess 0 (argmax), right by accident
  const r = await analyzeCategorizationPerformance(mu, Y, { extractLabelIndx: false });
  assert.deepEqual(r.classes, [0, 5, 7, 9]);
  assert.deepEqual(r.confMatrix, [[1, 0, 0, 1], [1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 0, 0]]);
  assert.equal(r.misses, 1);
  assertAllClose([r.acc, r.adjAcc], [5 / 8, 4 / 8]);
  // per class: precision TP/column sum, recall TP/row sum; 0/0 → 0
  assertAllClose(r.precisionPerClass, [1 / 2, 2 / 3, 1, 0]);
  assertAllClose(r.recallPerClass, [1 / 2, 2 / 3, 2 / 3, 0]);
});

Deno.test("analyzeCategorizationPerformance: matches scikit-learn on gapped labels", async () => {
  // sklearn.metrics.confusion_matrix / precision_score / recall_score(average='macro', zero_division=0)
  const r = await noLeak(() =>
    analyzeCategorizationPerformance(scoresFor(G), Y, { extractLabelIndx: false })
  );
  assert.deepEqual(r.confMatrix, [[1, 0, 0, 1], [1, 2, 0, 0], [0, 1, 2, 0], [0, 0, 0, 0]]);
  assertAllClose(r.precision, 0.5416666666666666, { rtol: 1e-12 });
  assertAllClose(r.recall, 0.45833333333333326, { rtol: 1e-12 });
  assertAllClose(r.precisionPerClass, [0.5, 0.6666666666666666, 1.0, 0.0], { rtol: 1e-12 });
  assertAllClose(r.recallPerClass, [0.5, 0.6666666666666666, 0.6666666666666666, 0.0], {
    rtol: 1e-12,
  });
  assert.equal(r.misses, 0);
  assertAllClose([r.acc, r.adjAcc], [5 / 8, 5 / 8]);
  // One-hot y (default), tensors, and the deprecated alias give the same report.
  const mu = tensor(scoresFor(G));
  const oneHot = tensor(Y.map((k) => Array.from({ length: 8 }, (_, j) => (j === k ? 1 : 0))));
  const r2 = await noLeak(() => analyzeCategorizationPerformance(mu, oneHot));
  const r3 = await noLeak(() => analyzeScores(mu, oneHot));
  assert.deepEqual(r2, r);
  assert.deepEqual(r3, r);
  mu.dispose();
  oneHot.dispose();
});

Deno.test("classification: bad input is a clear error", async () => {
  const mu = scoresFor(G);
  const a = "measureAcc", c = "analyzeCategorizationPerformance";
  await throwsLike(() => measureAcc(mu, Y), TypeError, a, /extractLabelIndx: false/);
  await throwsLike(
    () => measureAcc(mu, [1, 2], { extractLabelIndx: false }),
    TypeError,
    a,
    /8 rows but y has 2/,
  );
  await throwsLike(
    () => measureAcc(mu, Y.map((v) => v + 0.5), { extractLabelIndx: false }),
    TypeError,
    a,
    /integer labels, found 5\.5/,
  );
  const yf = tensor(Y);
  await throwsLike(() => measureAcc(mu, yf, { extractLabelIndx: false }), TypeError, a, /float32/);
  await throwsLike(
    () => measureAcc([1, 2], [0, 1], { extractLabelIndx: false }),
    TypeError,
    a,
    /\(N x C\)/,
  );
  await throwsLike(
    () => measureAcc(mu, Y, { extractLabelIndx: "no" as unknown as boolean }),
    TypeError,
    a,
  );
  await throwsLike(
    () => analyzeCategorizationPerformance(mu, Y),
    TypeError,
    c,
    /extractLabelIndx: false/,
  );
  await throwsLike(
    () => analyzeCategorizationPerformance(mu, [1, 2, 3], { extractLabelIndx: false }),
    TypeError,
    c,
    /8 rows but y has 3/,
  );
  await throwsLike(
    () => analyzeCategorizationPerformance(mu, Y.map((v) => v / 2), { extractLabelIndx: false }),
    TypeError,
    c,
    /integer labels, found 2\.5/,
  );
  await throwsLike(
    () => analyzeCategorizationPerformance([[1, 2, 3]], [[1, 0], [0, 1]]),
    TypeError,
    c,
    /\[1, C\]/,
  );
  const empty = zeros([0, 3]);
  await throwsLike(
    () => analyzeCategorizationPerformance(empty, [], { extractLabelIndx: false }),
    RangeError,
    c,
    /no rows/,
  );
  empty.dispose();
  await throwsLike(
    () => analyzeScores([[], []], [0, 1], { extractLabelIndx: false }),
    TypeError,
    "analyzeScores",
    /column/,
  );
  await throwsLike(
    () => measureAcc([[], []], [0, 1], { extractLabelIndx: false }),
    TypeError,
    a,
    /column/,
  );
  yf.dispose();
});
