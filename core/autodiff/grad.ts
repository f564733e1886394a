/**
 * Reverse-mode gradients: {@link grad} and {@link valueAndGrad}, as
 * `jax.grad` / `jax.value_and_grad`, over tensors and pytrees (arrays and
 * plain objects) of tensors.
 *
 * How it works: the differentiated leaves are replaced by fresh copies (so a
 * tensor captured by `f` from outside stays a constant, as in JAX), `f` runs
 * with a {@link GradTape} listening and disposal held (every tensor the tape
 * recorded survives until the backward pass is done), then the recorded
 * nodes are walked backwards and every intermediate is disposed. Higher-order
 * gradients work: the backward pass is made of recorded ops, so an outer
 * `grad` differentiates through an inner one.
 *
 * @module
 */

import { fmtShape, rangeError, typeError } from "../errors.ts";
import { collectTensors, engine, isTensor, pushTape, withDisposalHeld } from "../engine.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, type TensorLike, toTensor } from "../ops/convert.ts";
import { pCast, pCopy, pFill } from "../ops/prim.ts";
import { flattenTree, type TreeDef, unflattenTree } from "./pytree.ts";
import { tidyOwned } from "./owned.ts";
import { backward, GradTape } from "./tape.ts";

/** Which positional arguments to differentiate: one index or a list. */
export type Argnums = number | readonly number[];

/** The gradients for `argnums` `N` of arguments `A`: one pytree, or a list of them. */
export type GradsOf<A extends readonly unknown[], N extends Argnums> = N extends number ? A[N]
  : { -readonly [K in keyof N]: N[K] extends number ? A[N[K]] : never };

/** Options of {@link grad}. */
export interface GradOptions<N extends Argnums = Argnums> {
  /** Positional argument(s) to differentiate (default 0). A list gives a list of gradients. */
  readonly argnums?: N;
  /** `f` returns `[value, aux]`; the gradient function returns `[grads, aux]`. Default false. */
  readonly hasAux?: boolean;
}

/** Options of {@link valueAndGrad}. */
export interface ValueAndGradOptions<N extends Argnums = Argnums> extends GradOptions<N> {
  /**
   * The output cotangent (the vector of a vector-Jacobian product), of the
   * shape of `f`'s value. Needed when `f` returns a non-scalar; default 1.
   */
  readonly cotangent?: TensorLike;
}

function checkArgnums(fn: string, argnums: Argnums): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  if (!Array.isArray(argnums) && typeof argnums !== "number") {
    throw typeError(fn, `argnums must be a number or a list of numbers, got ${typeof argnums}`);
  }
  for (const i of list) {
    if (typeof i !== "number" || !Number.isInteger(i)) {
      throw typeError(fn, `argnums must be integers, got ${JSON.stringify(argnums)}`);
    }
    if (i < 0) throw rangeError(fn, `argnums must be non-negative, got ${i}`);
  }
  if (new Set(list).size !== list.length) {
    throw rangeError(fn, `argnums has repeated entries: ${JSON.stringify(argnums)}`);
  }
  return list;
}

interface Result {
  value: Tensor;
  aux: unknown;
  grads: unknown;
}

/** The shared core: run `f` on a tape and pull the cotangent back to the chosen arguments. */
function differentiate(
  fn: string,
  f: (...args: unknown[]) => unknown,
  args: unknown[],
  argnums: Argnums,
  hasAux: boolean,
  cotangent: TensorLike | undefined,
  keepValue: boolean,
): Result {
  const list = checkArgnums(fn, argnums);
  for (const i of list) {
    if (i >= args.length) {
      throw rangeError(fn, `argnums ${i} is out of range for ${args.length} argument(s)`);
    }
  }
  const trees: { leaves: Tensor[]; def: TreeDef }[] = list.map((i) => {
    const t = flattenTree(fn, args[i], `argument ${i}`);
    t.leaves.forEach((leaf, j) => {
      if (!isFloat(leaf.dtype)) {
        throw typeError(
          fn,
          `argument ${i}${
            t.leaves.length > 1 ? ` (leaf ${j})` : ""
          } has dtype ${leaf.dtype}; only float tensors can be differentiated (cast it, or leave it out of argnums)`,
        );
      }
    });
    return t;
  });

  const E = engine();
  const captured: Tensor[] = [];
  const tracers: Tensor[] = [];
  let value: Tensor | null = null;
  let aux: unknown = undefined;
  let produced: unknown = undefined;
  try {
    const raw = withDisposalHeld(() => {
      const before = E.deferred.size > 0 ? new Set(E.deferred) : null;
      const callArgs = [...args];
      list.forEach((i, n) => {
        const copies = trees[n].leaves.map((leaf) => pCopy(leaf));
        tracers.push(...copies);
        callArgs[i] = unflattenTree(trees[n].def, copies);
      });
      const watch = new GradTape(tracers);
      const pop = pushTape(watch);
      try {
        return { out: tidyOwned(() => f(...callArgs)), watch };
      } finally {
        pop();
        // tensors disposed while f ran are still needed by the backward pass: take them over
        for (const t of E.deferred) if (!before?.has(t)) captured.push(t);
        for (const t of captured) E.deferred.delete(t);
      }
    });
    produced = raw.out;
    let out: unknown = raw.out;
    if (hasAux) {
      if (!Array.isArray(out) || out.length !== 2) {
        throw typeError(fn, "with hasAux, f must return [value, aux]");
      }
      aux = out[1];
      out = out[0];
    }
    if (!isTensor(out)) {
      throw typeError(
        fn,
        `f must return a Tensor${hasAux ? " as value" : ""}, got ${
          out === null ? "null" : typeof out
        }`,
      );
    }
    value = out;
    if (!isFloat(value.dtype)) {
      throw typeError(fn, `f must return a float tensor, got dtype ${value.dtype}`);
    }
    const seedFrom = cotangent;
    if (seedFrom === undefined && value.rank !== 0) {
      throw typeError(
        fn,
        `f must return a scalar (0-d) tensor, got shape ${fmtShape(value.shape)}; ${
          fn === "grad" ? "use valueAndGrad with a cotangent" : "pass a cotangent"
        } or sum first`,
      );
    }
    const v = value;
    const watch = raw.watch;
    const flatGrads = tidyOwned(() => {
      let seed: Tensor;
      if (seedFrom === undefined) seed = pFill(v.backend, [], 1, v.dtype);
      else {
        seed = toTensor(seedFrom, fn, { backend: v.backend });
        if (seed.shape.length !== v.shape.length || seed.shape.some((d, i) => d !== v.shape[i])) {
          throw typeError(
            fn,
            `cotangent has shape ${fmtShape(seed.shape)}, f returned shape ${fmtShape(v.shape)}`,
          );
        }
        if (seed.dtype !== v.dtype) seed = pCast(seed, v.dtype);
      }
      const cts = backward(fn, watch, v, seed, tracers);
      return tracers.map((t, i) => {
        const c = cts[i];
        if (!c) return pFill(t.backend, t.shape, 0, t.dtype);
        return c.dtype === t.dtype ? c : pCast(c, t.dtype);
      });
    });
    let at = 0;
    const perArg = trees.map((t) => {
      const g = unflattenTree(t.def, flatGrads.slice(at, at + t.leaves.length));
      at += t.leaves.length;
      return g;
    });
    const grads = typeof argnums === "number" ? perArg[0] : perArg;
    if (!keepValue) {
      value.dispose();
      value = null;
    }
    return { value: value as Tensor, aux, grads };
  } catch (e) {
    for (const t of collectTensors(produced)) t.dispose();
    throw e;
  } finally {
    for (const t of tracers) t.dispose();
    for (const t of captured) t.dispose();
  }
}

/**
 * The gradient of a scalar function (`jax.grad`): `grad(f)(...args)` returns
 * ∂f/∂args[argnums], in the structure of that argument (a tensor, or an
 * array / plain object of tensors). With a list of argnums, a list of such
 * gradients. Differentiated leaves must be float tensors (an integer or bool
 * leaf is a TypeError, as JAX); `null` leaves stay `null`; a leaf `f` does
 * not use gets zeros. `f` must return a 0-d float tensor (else a TypeError);
 * with `hasAux`, `f` returns `[value, aux]` and the result is `[grads, aux]`.
 *
 * `f` runs synchronously and should be pure: the tensors it creates are
 * disposed when the gradient is computed (the value and aux excepted where
 * returned). Tensors `f` captures from outside are constants.
 *
 * @example
 * ```ts
 * import { grad } from "./grad.ts";
 * import { mul, sum, tensor, type Tensor } from "../../mod.ts";
 * const f = (w: Tensor, x: Tensor) => sum(mul(mul(w, w), x)); // Σ w²·x
 * using w = tensor([1, 2, 3]);
 * using x = tensor([1, 1, 2]);
 * using gw = grad(f)(w, x); // 2·w·x
 * console.assert(gw.dataSync().join() === "2,4,12");
 * const [dw, dx] = grad(f, { argnums: [0, 1] })(w, x);
 * console.assert(dx.dataSync().join() === "1,4,9");
 * dw.dispose();
 * dx.dispose();
 * const gp = grad((p: { a: Tensor; b: Tensor }) => sum(mul(p.a, p.b)))({ a: w, b: x });
 * console.assert(gp.a.dataSync().join() === "1,1,2");
 * gp.a.dispose();
 * gp.b.dispose();
 * ```
 */
export function grad<A extends unknown[], const N extends Argnums = 0>(
  f: (...args: A) => Tensor,
  options?: GradOptions<N> & { readonly hasAux?: false },
): (...args: A) => GradsOf<A, N>;
/** With `hasAux: true`: `f` returns `[value, aux]`, the result is `[grads, aux]`. */
export function grad<A extends unknown[], Aux, const N extends Argnums = 0>(
  f: (...args: A) => readonly [Tensor, Aux],
  options: GradOptions<N> & { readonly hasAux: true },
): (...args: A) => [GradsOf<A, N>, Aux];
export function grad(
  f: (...args: unknown[]) => unknown,
  options: GradOptions = {},
): (...args: unknown[]) => unknown {
  const fn = "grad";
  if (typeof f !== "function") throw typeError(fn, `f must be a function, got ${typeof f}`);
  const argnums = options.argnums ?? 0;
  checkArgnums(fn, argnums);
  const hasAux = options.hasAux ?? false;
  return (...args: unknown[]) => {
    const r = differentiate(fn, f, args, argnums, hasAux, undefined, false);
    return hasAux ? [r.grads, r.aux] : r.grads;
  };
}

/**
 * The value and the gradient of a function (`jax.value_and_grad`):
 * `valueAndGrad(f)(...args)` returns `[value, grads]` (with `hasAux`,
 * `[[value, aux], grads]`). Same rules as {@link grad}; in addition, a
 * non-scalar `f` can be pulled back with an explicit `cotangent` of its
 * output's shape (a vector-Jacobian product).
 *
 * @example
 * ```ts
 * import { valueAndGrad } from "./grad.ts";
 * import { exp, sum, tensor, type Tensor } from "../../mod.ts";
 * using x = tensor([0, 1]);
 * const [v, g] = valueAndGrad((t: Tensor) => sum(exp(t)))(x);
 * console.assert(Math.abs(v.dataSync()[0] - (1 + Math.E)) < 1e-6);
 * console.assert(Math.abs(g.dataSync()[1] - Math.E) < 1e-6);
 * v.dispose();
 * g.dispose();
 * // a vector-Jacobian product of a non-scalar function
 * const [y, vjp] = valueAndGrad((t: Tensor) => exp(t), { cotangent: [1, 2] })(x);
 * console.assert(Math.abs(vjp.dataSync()[1] - 2 * Math.E) < 1e-6);
 * y.dispose();
 * vjp.dispose();
 * ```
 */
export function valueAndGrad<A extends unknown[], const N extends Argnums = 0>(
  f: (...args: A) => Tensor,
  options?: ValueAndGradOptions<N> & { readonly hasAux?: false },
): (...args: A) => [Tensor, GradsOf<A, N>];
/** With `hasAux: true`: `f` returns `[value, aux]`, the result is `[[value, aux], grads]`. */
export function valueAndGrad<A extends unknown[], Aux, const N extends Argnums = 0>(
  f: (...args: A) => readonly [Tensor, Aux],
  options: ValueAndGradOptions<N> & { readonly hasAux: true },
): (...args: A) => [[Tensor, Aux], GradsOf<A, N>];
export function valueAndGrad(
  f: (...args: unknown[]) => unknown,
  options: ValueAndGradOptions = {},
): (...args: unknown[]) => unknown {
  const fn = "valueAndGrad";
  if (typeof f !== "function") throw typeError(fn, `f must be a function, got ${typeof f}`);
  const argnums = options.argnums ?? 0;
  checkArgnums(fn, argnums);
  const hasAux = options.hasAux ?? false;
  return (...args: unknown[]) => {
    const r = differentiate(fn, f, args, argnums, hasAux, options.cotangent, true);
    return hasAux ? [[r.value, r.aux], r.grads] : [r.value, r.grads];
  };
}
