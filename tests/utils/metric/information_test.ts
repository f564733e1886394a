import assert from "node:assert/strict";
import { tensor } from "../../../core/ops/creation.ts";
import { measureBic, measureGaussianKld } from "../../../utils/metric/mod.ts";
import { assertAllClose } from "../../helpers.ts";
import { hasF64, noLeak, read, throwsLike } from "./metric_helpers.ts";

const P = { mu: [[0, 0]], sigma: [[2, 0.5], [0.5, 1]] };
const Q = { mu: [[1, -1]], sigma: [[1, 0.2], [0.2, 1.5]] };
// numpy: 0.5·(ln(det S2/det S1) + tr(S2⁻¹S1) + zᵀS2⁻¹z − D) with numpy.linalg.inv/det.
const KL_PQ = 1.203930871837617;
// ngclearn's code counts the quadratic term twice: 0.5·(ld + 2q + tr − D).
const KL_NGCLEARN = 2.197081556769124;

Deno.test("measureGaussianKld: the closed form (quadratic term once — fixes ngclearn)", async () => {
  for (const useCholPrec of [true, false]) {
    const r = await read(measureGaussianKld(P, Q, { useCholPrec }));
    assert.deepEqual(r.shape, [1, 1]);
    assertAllClose(r.v, [KL_PQ], { rtol: 1e-5 });
    assert.ok(Math.abs(r.v[0] - KL_NGCLEARN) > 0.5, "must not reproduce ngclearn's doubled term");
  }
  // KL(p‖p) = 0; 1-D means (D,) are accepted.
  const same = await read(
    measureGaussianKld({ mu: [1, 2], sigma: P.sigma }, { mu: [1, 2], sigma: P.sigma }),
  );
  assertAllClose(same.v, [0], { atol: 1e-6 });
  // Unit covariances: KL = ½‖Δμ‖².
  const unit = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const u = await read(
    measureGaussianKld({ mu: [0, 0, 0], sigma: unit }, { mu: [1, 2, 2], sigma: unit }),
  );
  assertAllClose(u.v, [4.5], { rtol: 1e-6 });
  if (!hasF64()) return;
  const f64 = (x: number[][]) => tensor(x, { dtype: "float64" });
  const p64 = { mu: f64(P.mu), sigma: f64(P.sigma) }, q64 = { mu: f64(Q.mu), sigma: f64(Q.sigma) };
  const r64 = await read(measureGaussianKld(p64, q64));
  assert.equal(r64.dtype, "float64");
  assertAllClose(r64.v, [KL_PQ], { rtol: 1e-12 });
  for (const t of [p64.mu, p64.sigma, q64.mu, q64.sigma]) t.dispose();
});

Deno.test("measureBic: −2L + K ln N, log or raw score, tensor score", async () => {
  const x = Array.from({ length: 50 }, () => [0, 0, 0]);
  assertAllClose((await read(measureBic(x, { nModelParams: 7, maxModelScore: -123.4 }))).v, [
    246.8 + 7 * Math.log(50),
  ], { rtol: 1e-6 });
  assertAllClose(
    (await read(
      measureBic(x.slice(0, 20), { nModelParams: 3, maxModelScore: 0.002, isLog: false }),
    )).v,
    [
      -2 * Math.log(0.002) + 3 * Math.log(20),
    ],
    { rtol: 1e-6 },
  );
  const ll = tensor(-10);
  const r = await read(measureBic(x, { nModelParams: 0, maxModelScore: ll }));
  assert.deepEqual([r.shape, r.v], [[], [20]]);
  ll.dispose();
});

Deno.test("measureGaussianKld and measureBic: no leaks, clear errors", async () => {
  await noLeak(() => measureGaussianKld(P, Q));
  await noLeak(() => measureGaussianKld(P, Q, { useCholPrec: false }));
  await noLeak(() => measureBic([[1], [2]], { nModelParams: 1, maxModelScore: -1 }));
  const fn = "measureGaussianKld";
  await throwsLike(
    () => measureGaussianKld(P, { mu: [1, 2, 3], sigma: Q.sigma }),
    TypeError,
    fn,
    /\[3, 3\]/,
  );
  await throwsLike(
    () => measureGaussianKld({ mu: [[1], [2]], sigma: Q.sigma }, Q),
    TypeError,
    fn,
    /p\.mu/,
  );
  await throwsLike(
    () => measureGaussianKld(P, { mu: [0, 0, 0], sigma: [[1, 0, 0], [0, 1, 0], [0, 0, 1]] }),
    TypeError,
    fn,
    /same dimension/,
  );
  await throwsLike(
    () => measureGaussianKld(P, [1, 2] as unknown as typeof Q),
    TypeError,
    fn,
    /\{ mu, sigma \}/,
  );
  await throwsLike(
    () => measureGaussianKld(P, Q, { useCholPrec: 1 as unknown as boolean }),
    TypeError,
    fn,
  );
  const b = "measureBic";
  await throwsLike(() => measureBic([[1]], { nModelParams: -1, maxModelScore: 0 }), RangeError, b);
  await throwsLike(
    () => measureBic([[1]], { nModelParams: "2" as unknown as number, maxModelScore: 0 }),
    TypeError,
    b,
  );
  await throwsLike(
    () => measureBic([], { nModelParams: 1, maxModelScore: 0 }),
    RangeError,
    b,
    /one row/,
  );
  await throwsLike(
    () => measureBic([[1]], { nModelParams: 1, maxModelScore: [1, 2] }),
    TypeError,
    b,
    /single value/,
  );
  await throwsLike(
    () =>
      measureBic([[1]], undefined as unknown as { nModelParams: number; maxModelScore: number }),
    TypeError,
    b,
  );
  await throwsLike(
    () =>
      measureBic(
        [[1]],
        { nModelParams: 1 } as unknown as { nModelParams: number; maxModelScore: number },
      ),
    TypeError,
    b,
    /maxModelScore/,
  );
});
