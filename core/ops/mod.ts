/**
 * The numpy-like front end of ngc-utils: every op in `core/ops`, composed
 * from the Backend primitives so it runs on every backend.
 *
 * Ops take `TensorLike` inputs (tensors, numbers, booleans, nested arrays,
 * typed arrays), never consume or mutate them, return new tensors (0-d for
 * scalars) and free their temporaries. Bad types, dtypes and shapes are a
 * `TypeError`, bad values a `RangeError`, with messages `fnName(): ...`.
 *
 * @example
 * ```ts
 * import { add, mean, tensor } from "../../mod.ts";
 * using x = tensor([[1, 2], [3, 4]]);
 * using y = mean(add(x, 1), { axis: 0 });
 * console.assert(y.dataSync().join() === "3,4");
 * ```
 *
 * @module
 */

export * from "./creation.ts";
export * from "./elementwise.ts";
export * from "./shape.ts";
export * from "./indexing.ts";
export * from "./reduce.ts";
export * from "./sort.ts";
export * from "./move.ts";
export * from "./linalg.ts";
export * from "./composite.ts";
