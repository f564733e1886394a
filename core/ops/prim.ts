/**
 * Thin wrappers around the Backend kernels: run one kernel on validated
 * tensors, wrap the result and record it for autodiff. Every op in
 * `core/ops` reaches a backend through these, so the tape sees exactly one
 * node per kernel call, named after the kernel:
 *
 * | recorded op | inputs | attrs |
 * |---|---|---|
 * | unary op code (`"exp"`, `"neg"`, ...) | `[x]` | — |
 * | binary op code (`"add"`, `"pow"`, ...) | `[a, b]` (broadcast) | — |
 * | `"select"` | `[cond, a, b]` (broadcast) | — |
 * | `"cast"` | `[x]` | `{ dtype }` |
 * | `"reduce.sum"`, `"reduce.max"`, ... | `[x]` | `{ axes }` |
 * | `"cumsum"` | `[x]` | `{ axis, exclusive, reverse }` |
 * | `"reshape"` | `[x]` | `{ shape }` |
 * | `"transpose"` | `[x]` | `{ perm }` |
 * | `"slice"` | `[x]` | `{ begin, size, strides }` |
 * | `"concat"` | `xs` | `{ axis }` |
 * | `"pad"` | `[x]` | `{ pads, mode, value }` |
 * | `"gather"`, `"gatherAlong"` | `[x, indices]` | `{ axis }` |
 * | `"scatter"` | `[x, indices, updates]` | `{ axis, mode }` |
 * | `"sort"`, `"argsort"` | `[x]` | `{ axis, descending }` |
 * | `"topk"` | `[x]`, outputs `[values, indices]` | `{ k }` |
 *
 * Creation kernels (`fill`, `write`) have no tensor inputs and are not recorded.
 *
 * @module
 */

import type {
  Backend,
  BinaryOp,
  DType,
  PadMode,
  ReduceOp,
  TensorInfo,
  TypedArray,
  UnaryOp,
} from "../../backends/backend.ts";
import { isRecording, recordOp, tidy } from "../engine.ts";
import type { Tensor } from "../tensor.ts";
import { wrap } from "./convert.ts";

/**
 * Run `fn` in a {@link tidy} scope: every tensor created inside (conversions,
 * temporaries) is disposed, also when `fn` throws, except the returned ones.
 *
 * @example
 * ```ts
 * import { scoped } from "./prim.ts";
 * import { add, tensor } from "../../mod.ts";
 * const y = scoped(() => add(tensor([1, 2]), 1));
 * y.dispose();
 * ```
 */
export function scoped<T>(fn: () => T): T {
  return tidy(fn);
}

/**
 * Run one kernel, wrap its result on `backend` and record it on the tape.
 * `attrs` is only evaluated while a tape is recording.
 *
 * @example
 * ```ts
 * import { kernel } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 4, 9]);
 * using y = kernel("sqrt", [x], x.backend, () => x.backend.unary("sqrt", x.info));
 * console.assert(y.dataSync()[2] === 3);
 * ```
 */
export function kernel(
  op: string,
  inputs: readonly Tensor[],
  backend: Backend,
  run: () => TensorInfo,
  attrs?: () => Record<string, unknown>,
): Tensor {
  const out = wrap(backend, run());
  if (isRecording()) recordOp(op, inputs, [out], attrs ? attrs() : {});
  return out;
}

/**
 * Unary kernel.
 *
 * @example
 * ```ts
 * import { pUnary } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pUnary("neg", x);
 * console.assert(y.dataSync()[0] === -1);
 * ```
 */
export function pUnary(op: UnaryOp, x: Tensor): Tensor {
  return kernel(op, [x], x.backend, () => x.backend.unary(op, x.info));
}

/**
 * Binary kernel (same dtype, broadcast-compatible shapes).
 *
 * @example
 * ```ts
 * import { pBinary } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pBinary("add", x, x);
 * console.assert(y.dataSync()[1] === 4);
 * ```
 */
export function pBinary(op: BinaryOp, a: Tensor, b: Tensor): Tensor {
  return kernel(op, [a, b], a.backend, () => a.backend.binary(op, a.info, b.info));
}

/**
 * Select kernel (`cond` bool, `a` and `b` of one dtype).
 *
 * @example
 * ```ts
 * import { pSelect } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using c = tensor([true, false]);
 * using y = pSelect(c, x, x);
 * console.assert(y.size === 2);
 * ```
 */
export function pSelect(cond: Tensor, a: Tensor, b: Tensor): Tensor {
  return kernel(
    "select",
    [cond, a, b],
    a.backend,
    () => a.backend.select(cond.info, a.info, b.info),
  );
}

/**
 * Cast kernel.
 *
 * @example
 * ```ts
 * import { pCast } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pCast(x, "int32");
 * console.assert(y.dtype === "int32");
 * ```
 */
export function pCast(x: Tensor, dtype: DType): Tensor {
  return kernel("cast", [x], x.backend, () => x.backend.cast(x.info, dtype), () => ({ dtype }));
}

/**
 * Reduce kernel (axes sorted, unique, non-empty).
 *
 * @example
 * ```ts
 * import { pReduce } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pReduce("sum", x, [0]);
 * console.assert(y.itemSync() === 3);
 * ```
 */
export function pReduce(op: ReduceOp, x: Tensor, axes: readonly number[]): Tensor {
  return kernel(`reduce.${op}`, [x], x.backend, () => x.backend.reduce(op, x.info, axes), () => ({
    axes: [...axes],
  }));
}

/**
 * Cumulative-sum kernel.
 *
 * @example
 * ```ts
 * import { pCumsum } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pCumsum(x, 0, false, false);
 * console.assert(y.dataSync()[1] === 3);
 * ```
 */
export function pCumsum(x: Tensor, axis: number, exclusive: boolean, reverse: boolean): Tensor {
  return kernel(
    "cumsum",
    [x],
    x.backend,
    () => x.backend.cumsum(x.info, axis, exclusive, reverse),
    () => ({ axis, exclusive, reverse }),
  );
}

/**
 * Reshape kernel (same size).
 *
 * @example
 * ```ts
 * import { pReshape } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pReshape(x, [2, 1]);
 * console.assert(y.shape.join() === "2,1");
 * ```
 */
export function pReshape(x: Tensor, shape: readonly number[]): Tensor {
  return kernel("reshape", [x], x.backend, () => x.backend.reshape(x.info, shape), () => ({
    shape: [...shape],
  }));
}

/**
 * A new reference to the same values (a reshape to the same shape).
 *
 * @example
 * ```ts
 * import { pCopy } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pCopy(x);
 * console.assert(y !== x && y.size === 2);
 * ```
 */
export function pCopy(x: Tensor): Tensor {
  return pReshape(x, x.shape);
}

/**
 * Transpose kernel.
 *
 * @example
 * ```ts
 * import { pTranspose } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pTranspose(x, [0]);
 * console.assert(y.dataSync()[0] === 1);
 * ```
 */
export function pTranspose(x: Tensor, perm: readonly number[]): Tensor {
  return kernel("transpose", [x], x.backend, () => x.backend.transpose(x.info, perm), () => ({
    perm: [...perm],
  }));
}

/**
 * Strided-slice kernel.
 *
 * @example
 * ```ts
 * import { pSlice } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pSlice(x, [1], [1], [1]);
 * console.assert(y.itemSync() === 2);
 * ```
 */
export function pSlice(
  x: Tensor,
  begin: readonly number[],
  size: readonly number[],
  strides: readonly number[],
): Tensor {
  return kernel(
    "slice",
    [x],
    x.backend,
    () => x.backend.slice(x.info, begin, size, strides),
    () => ({ begin: [...begin], size: [...size], strides: [...strides] }),
  );
}

/**
 * Concat kernel (one dtype, one backend).
 *
 * @example
 * ```ts
 * import { pConcat } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pConcat([x, x], 0);
 * console.assert(y.size === 4);
 * ```
 */
export function pConcat(xs: readonly Tensor[], axis: number): Tensor {
  const backend = xs[0].backend;
  return kernel("concat", xs, backend, () => backend.concat(xs.map((x) => x.info), axis), () => ({
    axis,
  }));
}

/**
 * Pad kernel.
 *
 * @example
 * ```ts
 * import { pPad } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pPad(x, [[1, 0]], "constant", 0);
 * console.assert(y.dataSync().join() === "0,1,2");
 * ```
 */
export function pPad(
  x: Tensor,
  pads: readonly (readonly [number, number])[],
  mode: PadMode,
  value: number,
): Tensor {
  return kernel(
    "pad",
    [x],
    x.backend,
    () => x.backend.pad(x.info, pads, mode, value),
    () => ({ pads: pads.map((p) => [p[0], p[1]]), mode, value }),
  );
}

/**
 * Gather (`take`) kernel; `indices` int32.
 *
 * @example
 * ```ts
 * import { pGather } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using i = tensor([1], { dtype: "int32" });
 * using y = pGather(x, i, 0);
 * console.assert(y.itemSync() === 2);
 * ```
 */
export function pGather(x: Tensor, indices: Tensor, axis: number): Tensor {
  return kernel(
    "gather",
    [x, indices],
    x.backend,
    () => x.backend.gather(x.info, indices.info, axis),
    () => ({
      axis,
    }),
  );
}

/**
 * `take_along_axis` kernel; `indices` int32.
 *
 * @example
 * ```ts
 * import { pGatherAlong } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using i = tensor([1], { dtype: "int32" });
 * using y = pGatherAlong(x, i, 0);
 * console.assert(y.itemSync() === 2);
 * ```
 */
export function pGatherAlong(x: Tensor, indices: Tensor, axis: number): Tensor {
  return kernel(
    "gatherAlong",
    [x, indices],
    x.backend,
    () => x.backend.gatherAlong(x.info, indices.info, axis),
    () => ({ axis }),
  );
}

/**
 * Scatter kernel; `indices` int32, `updates` of x's dtype and the full updates shape.
 *
 * @example
 * ```ts
 * import { pScatter } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using i = tensor([0], { dtype: "int32" });
 * using u = tensor([9]);
 * using y = pScatter(x, i, u, 0, "set");
 * console.assert(y.dataSync().join() === "9,2");
 * ```
 */
export function pScatter(
  x: Tensor,
  indices: Tensor,
  updates: Tensor,
  axis: number,
  mode: "set" | "add",
): Tensor {
  return kernel(
    "scatter",
    [x, indices, updates],
    x.backend,
    () => x.backend.scatter(x.info, indices.info, updates.info, axis, mode),
    () => ({ axis, mode }),
  );
}

/**
 * Stable sort kernel.
 *
 * @example
 * ```ts
 * import { pSort } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pSort(x, 0, true);
 * console.assert(y.dataSync().join() === "2,1");
 * ```
 */
export function pSort(x: Tensor, axis: number, descending: boolean): Tensor {
  return kernel("sort", [x], x.backend, () => x.backend.sort(x.info, axis, descending), () => ({
    axis,
    descending,
  }));
}

/**
 * Stable argsort kernel (int32).
 *
 * @example
 * ```ts
 * import { pArgsort } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pArgsort(x, 0, true);
 * console.assert(y.dataSync().join() === "1,0");
 * ```
 */
export function pArgsort(x: Tensor, axis: number, descending: boolean): Tensor {
  return kernel(
    "argsort",
    [x],
    x.backend,
    () => x.backend.argsort(x.info, axis, descending),
    () => ({
      axis,
      descending,
    }),
  );
}

/**
 * Top-k kernel along the last axis.
 *
 * @example
 * ```ts
 * import { pTopk } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * const { values, indices } = pTopk(x, 1);
 * console.assert(values.itemSync() === 2 && indices.itemSync() === 1);
 * values.dispose();
 * indices.dispose();
 * ```
 */
export function pTopk(x: Tensor, k: number): { values: Tensor; indices: Tensor } {
  const r = x.backend.topk(x.info, k);
  const values = wrap(x.backend, r.values);
  const indices = wrap(x.backend, r.indices);
  if (isRecording()) recordOp("topk", [x], [values, indices], { k });
  return { values, indices };
}

/**
 * A new tensor of `shape` filled with `value` (not recorded: a constant).
 *
 * @example
 * ```ts
 * import { pFill } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pFill(x.backend, [2], 7, "int32");
 * console.assert(y.dataSync().join() === "7,7");
 * ```
 */
export function pFill(
  backend: Backend,
  shape: readonly number[],
  value: number,
  dtype: DType,
): Tensor {
  return wrap(backend, backend.fill(shape, value, dtype));
}

/**
 * A new tensor holding host `values` (not recorded: a constant).
 *
 * @example
 * ```ts
 * import { pWrite } from "./prim.ts";
 * import { tensor } from "../../mod.ts";
 * using x = tensor([1, 2]);
 * using y = pWrite(x.backend, new Float32Array([5]), [1], "float32");
 * console.assert(y.itemSync() === 5);
 * ```
 */
export function pWrite(
  backend: Backend,
  values: TypedArray,
  shape: readonly number[],
  dtype: DType,
): Tensor {
  return wrap(backend, backend.write(values, shape, dtype));
}
