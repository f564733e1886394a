/**
 * Golden adapters for data loading, effective dimension and image patches
 * (`data.jsonl`, `patches.jsonl`).
 *
 * @module
 */

import { tidy } from "../../../core/engine.ts";
import { tensor } from "../../../core/ops/creation.ts";
import type { NestedArray, Tensor } from "../../../core/tensor.ts";
import type { Layout } from "../../../core/random/mod.ts";
import { participationRatio, rankme } from "../../../analysis/effective_dim.ts";
import { type DataBatch, DataLoader } from "../../../utils/data_loader.ts";
import {
  CreatePatches,
  generatePatchifyPatchSet,
  generatePatchSet,
  patchWithOverlap,
  patchWithStride,
  type Size2d,
} from "../../../utils/patch.ts";
import type { Adapter, AdapterContext } from "../runner.ts";

type Args = Record<string, unknown>;

const arr = (v: unknown) => tensor(v as NestedArray);
const pair = (v: unknown) => v as Size2d;

function layoutOf(ctx: AdapterContext): Layout | undefined {
  const l = ctx.case.layout;
  return l === "legacy" || l === "partitionable" ? l : undefined;
}

/** Adapters by ngclearn name. */
export const DATA_ADAPTERS: Record<string, Adapter> = {
  "ngclearn.utils.data_loader.DataLoader": {
    run: (a: Args, ctx) => {
      const dms = (a.design_matrices as [string, NestedArray][]).map(
        ([name, m]) => [name, m] as [string, NestedArray],
      );
      using loader = new DataLoader(dms, a.batch_size as number, {
        disableShuffle: a.disable_shuffle as boolean | undefined,
        ensureEqualBatches: a.ensure_equal_batches as boolean | undefined,
        key: a.key as [number, number] | undefined,
        layout: layoutOf(ctx),
      });
      const batches: DataBatch[] = [];
      for (const b of loader) batches.push(b);
      return batches;
    },
  },
  "ngclearn.utils.analysis.effective_dim.participation_ratio": {
    run: (a: Args) =>
      tidy(() =>
        participationRatio(arr(a.latent_codes), {
          useNanFallback: a.use_NaN_fallback as boolean | undefined,
        })
      ),
  },
  "ngclearn.utils.analysis.effective_dim.rankme": {
    run: (a: Args) => tidy(() => rankme(arr(a.latent_codes), { eps: a.eps as number | undefined })),
  },
  "ngclearn.utils.patch_utils.patch_with_stride": {
    run: (a: Args) =>
      tidy(() => patchWithStride(arr(a.X), pair(a.patch), { stride: pair(a.stride) })),
  },
  "ngclearn.utils.patch_utils.patch_with_overlap": {
    run: (a: Args) =>
      tidy(() => patchWithOverlap(arr(a.X), pair(a.patch), { overlap: pair(a.overlap) })),
  },
  "ngclearn.utils.patch_utils.Create_Patches": {
    run: (a: Args) =>
      tidy(() => {
        const img: Tensor = arr(a.img);
        const cp = new CreatePatches(img, pair(a.patch_shape), {
          overlapShape: pair(a.overlap_shape),
        });
        return cp.createPatches({
          addFrame: a.add_frame as boolean | undefined,
          center: a.center as boolean | undefined,
        });
      }),
  },
  "ngclearn.utils.patch_utils.generate_patch_set": {
    run: (a: Args) =>
      tidy(() => {
        const opts = {
          patchSize: a.patch_size as Size2d | undefined,
          maxPatches: a.max_patches as number | null | undefined,
          center: a.center as boolean | undefined,
          seed: a.seed as number | undefined,
        };
        const x = arr(a.x_batch);
        if (a.vis_mode === true) {
          const { patches, mu } = generatePatchSet(x, { ...opts, visMode: true });
          return { patches, mu };
        }
        return generatePatchSet(x, opts);
      }),
  },
  "ngclearn.utils.patch_utils.generate_pacthify_patch_set": {
    run: (a: Args) =>
      tidy(() =>
        generatePatchifyPatchSet(arr(a.x_batch_), {
          patchSize: a.patch_size as Size2d | undefined,
          center: a.center as boolean | undefined,
        })
      ),
  },
};
