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
// ngclearn.utils.model_utils: flat exports, except the five names that core ops
// already use for their own (different) functions — tanh, sigmoid, softmax, clip
// and oneHot keep the core meaning here; ngclearn's versions are `model.softmax`
// etc. (or `@ngc/utils/model`).
export * from "./utils/model/mod.ts";
export { clip, oneHot, sigmoid, softmax, tanh } from "./core/ops/mod.ts";
export * as model from "./utils/model/mod.ts";
export * from "./utils/surrogate.ts";
export * from "./utils/distribution.ts";
export * from "./utils/matrix.ts";
export * from "./utils/diffeq/mod.ts";
export * from "./utils/process.ts";
export * from "./utils/data_loader.ts";
export * from "./utils/io/mod.ts";
export * from "./utils/patch.ts";
export * from "./utils/patch_generator.ts";
export * from "./analysis/effective_dim.ts";
