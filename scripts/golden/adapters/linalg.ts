/**
 * Golden adapters for backend linear algebra (`linalg.*` reference names).
 *
 * @module
 */

import { cholesky, matmul, pinv, slogdet, svd } from "../../../core/ops/linalg.ts";
import { mul } from "../../../core/ops/elementwise.ts";
import { expandDims } from "../../../core/ops/shape.ts";
import { tensor } from "../../../core/ops/creation.ts";
import { tidy } from "../../../core/engine.ts";
import type { Adapter } from "../runner.ts";
import type { NestedArray } from "../../../core/tensor.ts";

const matrix = (a: unknown) => tensor(a as NestedArray);

/** Adapters by reference name. */
export const LINALG_ADAPTERS: Record<string, Adapter> = {
  "linalg.cholesky": { run: (a) => tidy(() => cholesky(matrix(a.a))) },
  "linalg.pinv": { run: (a) => tidy(() => pinv(matrix(a.a))) },
  "linalg.slogdet": {
    run: (a) =>
      tidy(() => {
        const r = slogdet(matrix(a.a));
        return { sign: r.sign, logabsdet: r.logabsdet };
      }),
  },
  "linalg.svd": {
    run: (a) =>
      tidy(() => {
        const { u, s, vh } = svd(matrix(a.a));
        // U diag(S) Vh: scale U's columns by S, then multiply.
        return { S: s, reconstruction: matmul(mul(u, expandDims(s, 0)), vh) };
      }),
  },
};
