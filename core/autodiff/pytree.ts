/**
 * Pytrees: nested arrays and plain objects whose leaves are tensors (or
 * `null`/`undefined`, kept as empty slots), as JAX's tree utilities. `grad`
 * returns gradients in the structure of its arguments and `scan` carries and
 * stacks pytrees.
 *
 * @module
 */

import { isTensor } from "../engine.ts";
import { fmtShape, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";

/** A tensor, an empty slot, or an array / plain object of pytrees. */
export type PyTree =
  | Tensor
  | null
  | undefined
  | readonly PyTree[]
  | { readonly [key: string]: PyTree };

/** The structure of a pytree without its tensors (internal). */
export type TreeDef =
  | { readonly kind: "leaf" }
  | { readonly kind: "none"; readonly value: null | undefined }
  | { readonly kind: "array"; readonly children: readonly TreeDef[] }
  | {
    readonly kind: "object";
    readonly keys: readonly string[];
    readonly children: readonly TreeDef[];
  };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null) return false;
  const p = Object.getPrototypeOf(v);
  return p === Object.prototype || p === null;
}

function describe(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return (v as object).constructor?.name ?? "object";
  return typeof v;
}

/**
 * Flatten a pytree into its tensor leaves (depth first, object keys in
 * insertion order) and its structure. A leaf that is neither a tensor nor
 * `null`/`undefined` is a TypeError naming `fn` and the leaf's path.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { flattenTree, unflattenTree } from "./pytree.ts";
 * const a = tensor(1), b = tensor(2);
 * const { leaves, def } = flattenTree("example", { a, rest: [b, null] }, "tree");
 * console.assert(leaves.length === 2 && leaves[1] === b);
 * const back = unflattenTree(def, [b, a]) as { a: unknown; rest: unknown[] };
 * console.assert(back.a === b && back.rest[0] === a && back.rest[1] === null);
 * a.dispose();
 * b.dispose();
 * ```
 */
export function flattenTree(
  fn: string,
  tree: unknown,
  what: string,
): { leaves: Tensor[]; def: TreeDef } {
  const leaves: Tensor[] = [];
  const walk = (v: unknown, path: string): TreeDef => {
    if (isTensor(v)) {
      v.assertAlive(fn);
      leaves.push(v);
      return { kind: "leaf" };
    }
    if (v === null || v === undefined) return { kind: "none", value: v };
    if (Array.isArray(v)) {
      return { kind: "array", children: v.map((c, i) => walk(c, `${path}[${i}]`)) };
    }
    if (isPlainObject(v)) {
      const keys = Object.keys(v);
      return { kind: "object", keys, children: keys.map((k) => walk(v[k], `${path}.${k}`)) };
    }
    throw typeError(
      fn,
      `${what}${
        path ? ` at ${path}` : ""
      } must be a Tensor, null, or an array/object of them, got ${describe(v)}${
        typeof v === "number" || Array.isArray(v) ? " (wrap values with tensor())" : ""
      }`,
    );
  };
  const def = walk(tree, "");
  return { leaves, def };
}

/** Rebuild a pytree of structure `def` from `leaves` (in flattening order); see {@link flattenTree}. */
export function unflattenTree(def: TreeDef, leaves: readonly (Tensor | null)[]): PyTree {
  let i = 0;
  const build = (d: TreeDef): PyTree => {
    switch (d.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return d.value;
      case "array":
        return d.children.map(build);
      case "object": {
        const out: Record<string, PyTree> = {};
        d.keys.forEach((k, j) => (out[k] = build(d.children[j])));
        return out;
      }
    }
  };
  return build(def);
}

/** Whether two structures are the same (same containers, keys and slots). */
export function sameTreeDef(a: TreeDef, b: TreeDef): boolean {
  if (a.kind !== b.kind) return false;
  if (a.kind === "leaf") return true;
  if (a.kind === "none") return true;
  const bc = (b as { children: readonly TreeDef[] }).children;
  if (a.children.length !== bc.length) return false;
  if (a.kind === "object") {
    const bk = (b as { keys: readonly string[] }).keys;
    if (a.keys.some((k, i) => k !== bk[i])) return false;
  }
  return a.children.every((c, i) => sameTreeDef(c, bc[i]));
}

/** A short description of a structure for error messages: `{a: T, b: [T, T]}`. */
export function describeTreeDef(d: TreeDef): string {
  switch (d.kind) {
    case "leaf":
      return "T";
    case "none":
      return String(d.value);
    case "array":
      return `[${d.children.map(describeTreeDef).join(", ")}]`;
    case "object":
      return `{${d.keys.map((k, i) => `${k}: ${describeTreeDef(d.children[i])}`).join(", ")}}`;
  }
}

/** `[2, 3] float32` for messages. */
export function describeLeaf(t: Tensor): string {
  return `${fmtShape(t.shape)} ${t.dtype}`;
}

/**
 * The tensor leaves of a pytree (depth first; empty slots skipped).
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { treeLeaves } from "./pytree.ts";
 * const a = tensor([1, 2]), b = tensor(3);
 * const leaves = treeLeaves({ w: a, rest: [null, b] });
 * console.assert(leaves.length === 2 && leaves[0] === a && leaves[1] === b);
 * a.dispose();
 * b.dispose();
 * ```
 */
export function treeLeaves(tree: PyTree): Tensor[] {
  return flattenTree("treeLeaves", tree, "tree").leaves;
}

/**
 * Apply `fn` to every tensor leaf of a pytree, keeping the structure (empty
 * slots stay empty).
 *
 * @example
 * ```ts
 * import { mul, tensor } from "../../mod.ts";
 * import { treeMap } from "./pytree.ts";
 * const p = { w: tensor([1, 2]), b: tensor(3) };
 * const doubled = treeMap(p, (t) => mul(t, 2)) as { w: typeof p.w; b: typeof p.b };
 * console.assert(doubled.w.dataSync().join() === "2,4" && doubled.b.dataSync()[0] === 6);
 * for (const t of [p.w, p.b, doubled.w, doubled.b]) t.dispose();
 * ```
 */
export function treeMap(tree: PyTree, fn: (leaf: Tensor) => Tensor): PyTree {
  const { leaves, def } = flattenTree("treeMap", tree, "tree");
  return unflattenTree(def, leaves.map(fn));
}
