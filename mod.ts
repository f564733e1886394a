/**
 * ngc-utils: the utilities of ngc-learn (metrics, activations, surrogate
 * derivatives, initializers, ODE integrators, densities, optimizers, filters,
 * masks, feature dictionaries, probes, plots, data loading) in TypeScript, on
 * pluggable compute backends (pure-TS cpu, WebGPU, OpenBLAS).
 *
 * @example
 * ```ts
 * import { matmul, softmax, tensor } from "./mod.ts";
 * const x = tensor([[1, 2], [3, 4]]);
 * const p = softmax(matmul(x, x));
 * console.log(await p.array());
 * ```
 *
 * @module
 */

import "./backends/registry.ts";

export type {
  Backend,
  BackendCapabilities,
  BackendMemory,
  BinaryOp,
  Conv2dOptions,
  DataId,
  DType,
  PadMode,
  ReduceOp,
  TensorInfo,
  TriangularSolveOptions,
  TypedArray,
  UnaryOp,
} from "./backends/backend.ts";
export {
  backendByName,
  type BackendEntry,
  type BackendName,
  type BackendReport,
  backends,
  getBackend,
  keep,
  memory,
  type MemoryReport,
  ready,
  setBackend,
  tidy,
} from "./core/engine.ts";
export { type NestedArray, Tensor } from "./core/tensor.ts";
export { type TensorLike, type TensorOptions } from "./core/ops/convert.ts";
export * from "./core/ops/mod.ts";
export * as random from "./core/random/mod.ts";
export * from "./utils/metric/mod.ts";
export * from "./core/autodiff/mod.ts";
export * from "./core/scan.ts";
