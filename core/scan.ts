/**
 * `scan`: a loop with a carried state and stacked per-step outputs, with the
 * semantics of `jax.lax.scan` — the engine of ODE integration and of the
 * process abstraction.
 *
 * Each step runs in its own tidy scope that keeps only the new carry and the
 * step's output, so a long scan holds a constant number of tensors (outputs
 * are stacked in blocks as they come). Nothing is read back to the host
 * between steps. Every op inside records itself, so `grad` differentiates
 * through a scan.
 *
 * @module
 */

import type { Tensor } from "./tensor.ts";
import { fmtShape, rangeError, typeError } from "./errors.ts";
import { pConcat, pFill, pReshape, pSlice } from "./ops/prim.ts";
import { tidy } from "./engine.ts";
import {
  describeLeaf,
  describeTreeDef,
  flattenTree,
  type PyTree,
  sameTreeDef,
  type TreeDef,
  unflattenTree,
} from "./autodiff/pytree.ts";
import { tidyOwned, withoutTapes } from "./autodiff/owned.ts";

/** Options of {@link scan}. */
export interface ScanOptions {
  /** Number of steps; required when `xs` is null, else it must equal xs' leading size. */
  readonly length?: number;
  /** Run from the last step to the first (ys stay aligned with xs, as JAX). Default false. */
  readonly reverse?: boolean;
}

/** Row `i` of `t` along axis 0, without that axis (recorded ops). */
function row(t: Tensor, i: number): Tensor {
  const rest = t.shape.slice(1);
  const s = pSlice(t, [i, ...rest.map(() => 0)], [1, ...rest], t.shape.map(() => 1));
  return pReshape(s, rest);
}

/** Blocks of stacked per-step outputs for one leaf (keeps the live tensor count bounded). */
class Stacker {
  readonly #pending: Tensor[] = [];
  readonly #blocks: Tensor[] = [];
  static readonly BLOCK = 64;

  push(t: Tensor): void {
    this.#pending.push(t);
    if (this.#pending.length === Stacker.BLOCK) this.#flush();
  }

  #flush(): void {
    if (this.#pending.length === 0) return;
    const parts = this.#pending.splice(0);
    const block = tidy(() => pConcat(parts.map((p) => pReshape(p, [1, ...p.shape])), 0));
    for (const p of parts) p.dispose();
    this.#blocks.push(block);
    if (this.#blocks.length === Stacker.BLOCK) {
      const merged = tidy(() => pConcat(this.#blocks, 0));
      for (const b of this.#blocks.splice(0)) b.dispose();
      this.#blocks.push(merged);
    }
  }

  /** All rows in push order (or reversed), stacked along a new axis 0. */
  finish(reverse: boolean): Tensor {
    this.#flush();
    const blocks = this.#blocks.splice(0);
    const out = tidy(() => {
      const all = blocks.length === 1 ? blocks[0] : pConcat(blocks, 0);
      if (!reverse) return all === blocks[0] ? pReshape(all, all.shape) : all;
      const n = all.shape[0];
      return pSlice(
        all,
        [n - 1, ...all.shape.slice(1).map(() => 0)],
        [...all.shape],
        [-1, ...all.shape.slice(1).map(() => 1)],
      );
    });
    for (const b of blocks) b.dispose();
    return out;
  }

  dispose(): void {
    for (const t of [...this.#pending.splice(0), ...this.#blocks.splice(0)]) t.dispose();
  }
}

function checkCarry(
  def: TreeDef,
  leaves: readonly Tensor[],
  want: TreeDef,
  ref: readonly Tensor[],
) {
  if (!sameTreeDef(def, want)) {
    throw typeError(
      "scan",
      `step must return a carry with the structure of init ${describeTreeDef(want)}, got ${
        describeTreeDef(def)
      }`,
    );
  }
  leaves.forEach((t, i) => {
    const r = ref[i];
    if (
      t.dtype !== r.dtype || t.shape.length !== r.shape.length ||
      t.shape.some((d, j) => d !== r.shape[j])
    ) {
      throw typeError(
        "scan",
        `step changed carry leaf ${i} from ${describeLeaf(r)} to ${
          describeLeaf(t)
        }; the carry must keep its shapes and dtypes`,
      );
    }
  });
}

/**
 * Loop `step` over the leading axis of `xs` carrying a state
 * (`jax.lax.scan`): `step(carry, x) → [newCarry, y]`, where `carry` and `y`
 * are pytrees of tensors (`y` may be `null`) and `x` is the i-th slice of
 * every leaf of `xs` (or `null` when `xs` is `null`; then `length` sets the
 * step count). Returns `[finalCarry, ys]` with every leaf of `y` stacked
 * along a new axis 0 (`ys[i]` belongs to `xs[i]`, also with `reverse`).
 *
 * The carry must keep its structure, shapes and dtypes (else a TypeError).
 * `step` must be synchronous; its intermediates are disposed after each step
 * and nothing is read back between steps. The returned tensors are new
 * (the caller disposes them); `init` and `xs` are left alone. With zero
 * steps, `step` is traced once on zeros (not recorded) to learn the shapes of
 * `ys`, as JAX traces it.
 *
 * @example
 * ```ts
 * import { scan } from "./scan.ts";
 * import { add, tensor, type Tensor } from "../mod.ts";
 * // running sum: carry = total so far, y = total after each step
 * using xs = tensor([1, 2, 3, 4]);
 * using init = tensor(0);
 * const [total, partial] = scan((c: Tensor, x: Tensor) => {
 *   const s = add(c, x);
 *   return [s, s];
 * }, init, xs);
 * console.assert(total.itemSync() === 10 && partial.dataSync().join() === "1,3,6,10");
 * total.dispose();
 * partial.dispose();
 * ```
 */
export function scan<C extends PyTree, X extends PyTree, Y extends PyTree>(
  step: (carry: C, x: X) => readonly [C, Y],
  init: C,
  xs: X | null,
  options: ScanOptions = {},
): [C, Y] {
  const fn = "scan";
  if (typeof step !== "function") {
    throw typeError(fn, `step must be a function, got ${typeof step}`);
  }
  const reverse = options.reverse ?? false;
  if (typeof reverse !== "boolean") {
    throw typeError(fn, `reverse must be a boolean, got ${typeof reverse}`);
  }
  const carry0 = flattenTree(fn, init, "init");
  const xsTree = xs === null || xs === undefined ? null : flattenTree(fn, xs, "xs");
  let n: number;
  if (xsTree && xsTree.leaves.length > 0) {
    for (const [i, l] of xsTree.leaves.entries()) {
      if (l.rank === 0) {
        throw typeError(
          fn,
          `xs leaf ${i} is a scalar; every xs leaf needs a leading axis to scan over`,
        );
      }
    }
    n = xsTree.leaves[0].shape[0];
    const bad = xsTree.leaves.find((l) => l.shape[0] !== n);
    if (bad) {
      throw typeError(
        fn,
        `xs leaves must share their leading size, got ${fmtShape(xsTree.leaves[0].shape)} and ${
          fmtShape(bad.shape)
        }`,
      );
    }
    if (options.length !== undefined && options.length !== n) {
      throw typeError(fn, `length ${options.length} does not match the leading size ${n} of xs`);
    }
  } else {
    if (options.length === undefined) {
      throw typeError(fn, "xs has no tensors, so length is required");
    }
    n = options.length;
  }
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) {
    throw rangeError(fn, `length must be a non-negative integer, got ${String(n)}`);
  }

  const xAt = (i: number): X =>
    (xsTree ? unflattenTree(xsTree.def, xsTree.leaves.map((l) => row(l, i))) : null) as X;

  if (n === 0) return emptyScan(step, carry0, xsTree, init);

  let carry = init;
  let carryLeaves: Tensor[] | null = null; // owned by scan once the first step ran
  let yDef: TreeDef | null = null;
  let yRef: Tensor[] = [];
  const stackers: Stacker[] = [];
  try {
    for (let s = 0; s < n; s++) {
      const i = reverse ? n - 1 - s : s;
      const res = tidyOwned(() => {
        const r = step(carry, xAt(i));
        if (!Array.isArray(r) || r.length !== 2) {
          throw typeError(fn, "step must return [carry, y] (y may be null)");
        }
        return [r[0], r[1]] as const;
      });
      const c = flattenTree(fn, res[0], "carry");
      const y = flattenTree(fn, res[1], "y");
      try {
        checkCarry(c.def, c.leaves, carry0.def, carry0.leaves);
        if (yDef === null) {
          yDef = y.def;
          yRef = y.leaves;
          for (let j = 0; j < y.leaves.length; j++) stackers.push(new Stacker());
        } else if (!sameTreeDef(yDef, y.def)) {
          throw typeError(
            fn,
            `step returned y of structure ${describeTreeDef(y.def)} after ${describeTreeDef(yDef)}`,
          );
        } else {
          y.leaves.forEach((t, j) => {
            const r = yRef[j];
            if (t.dtype !== r.dtype || fmtShape(t.shape) !== fmtShape(r.shape)) {
              throw typeError(
                fn,
                `step returned y leaf ${j} as ${describeLeaf(t)} after ${
                  describeLeaf(r)
                }; every step's y must have one shape and dtype`,
              );
            }
          });
        }
      } catch (e) {
        for (const t of [...c.leaves, ...y.leaves]) t.dispose();
        throw e;
      }
      if (carryLeaves) { for (const t of carryLeaves) t.dispose(); }
      carryLeaves = c.leaves;
      carry = res[0];
      y.leaves.forEach((t, j) => stackers[j].push(t));
    }
    const ys = unflattenTree(yDef!, stackers.map((st) => st.finish(reverse)));
    return [carry, ys as Y];
  } catch (e) {
    if (carryLeaves) { for (const t of carryLeaves) t.dispose(); }
    throw e;
  } finally {
    for (const st of stackers) st.dispose();
  }
}

/** Zero steps: a copy of init, and empty ys shaped by tracing `step` once on zeros. */
function emptyScan<C extends PyTree, X extends PyTree, Y extends PyTree>(
  step: (carry: C, x: X) => readonly [C, Y],
  carry0: { leaves: Tensor[]; def: TreeDef },
  xsTree: { leaves: Tensor[]; def: TreeDef } | null,
  init: C,
): [C, Y] {
  const shapes = withoutTapes(() =>
    tidy(() => {
      const x = xsTree
        ? unflattenTree(
          xsTree.def,
          xsTree.leaves.map((l) => pFill(l.backend, l.shape.slice(1), 0, l.dtype)),
        )
        : null;
      const r = step(init, x as X);
      if (!Array.isArray(r) || r.length !== 2) {
        throw typeError("scan", "step must return [carry, y] (y may be null)");
      }
      const y = flattenTree("scan", r[1], "y");
      return { def: y.def, leaves: y.leaves.map((t) => [t.backend, t.shape, t.dtype] as const) };
    })
  );
  return tidyOwned(() => {
    const ys = unflattenTree(
      shapes.def,
      shapes.leaves.map(([b, s, d]) => pFill(b, [0, ...s], 0, d)),
    );
    const c = unflattenTree(carry0.def, carry0.leaves);
    return [c as C, ys as Y];
  });
}
