/**
 * Moving tensors between backends (read on the source, write on the target).
 *
 * @module
 */

import type { Backend } from "../../backends/backend.ts";
import { backendByName, engine, isTensor } from "../engine.ts";
import { rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { checkBackendDType, type TensorLike, toTensor } from "./convert.ts";
import { pCopy, pWrite } from "./prim.ts";

function isBackend(v: unknown): v is Backend {
  return typeof v === "object" && v !== null && typeof (v as Backend).write === "function" &&
    typeof (v as Backend).name === "string";
}

/** The backend instance for a name, created synchronously if it can be. */
function backendSync(fn: string, name: string): Backend {
  const e = engine();
  const have = e.instances.get(name);
  if (have) return have;
  const entry = e.entries.get(name);
  if (!entry) {
    throw rangeError(fn, `unknown backend "${name}"; known: ${[...e.entries.keys()].join(", ")}`);
  }
  let made: Backend | Promise<Backend>;
  try {
    made = entry.create();
  } catch (err) {
    throw rangeError(
      fn,
      `backend "${name}" is unavailable: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
  if (made instanceof Promise) {
    made.catch(() => {}); // its failure is reported by setBackend/backendByName
    throw rangeError(fn, `backend "${name}" initialises asynchronously; use await toBackend()`);
  }
  e.instances.set(name, made);
  return made;
}

function moveTo(
  fn: string,
  t: Tensor,
  target: Backend,
  values: () => ReturnType<Tensor["dataSync"]>,
): Tensor {
  if (t.backend === target) return pCopy(t);
  checkBackendDType(fn, target, t.dtype);
  return pWrite(target, values(), t.shape, t.dtype);
}

/**
 * A copy of `x` on another backend (given by name or instance). Reads the
 * source asynchronously, so it works from every backend (webgpu included).
 * Always returns a new tensor; the input stays alive.
 *
 * @example
 * ```ts
 * import { tensor, toBackend } from "../../mod.ts";
 * using x = tensor([1, 2, 3]);
 * using y = await toBackend(x, "cpu");
 * console.assert(y.backend.name === "cpu" && y !== x);
 * ```
 */
export async function toBackend(x: TensorLike, backend: Backend | string): Promise<Tensor> {
  if (!isBackend(backend) && typeof backend !== "string") {
    throw typeError("toBackend", `backend must be a Backend or a name, got ${typeof backend}`);
  }
  const target = isBackend(backend) ? backend : await backendByName(backend);
  const t = toTensor(x, "toBackend", isTensor(x) ? {} : { backend: target });
  try {
    if (t.backend === target) return pCopy(t);
    checkBackendDType("toBackend", target, t.dtype);
    const values = await t.data();
    return moveTo("toBackend", t, target, () => values);
  } finally {
    if (t !== x) t.dispose();
  }
}

/**
 * Synchronous {@link toBackend}: only from backends that read synchronously
 * (cpu, blas), and to backends that initialise synchronously.
 *
 * @example
 * ```ts
 * import { tensor, toBackendSync } from "../../mod.ts";
 * using x = tensor([1, 2, 3]);
 * using y = toBackendSync(x, "cpu");
 * console.assert(y.dataSync().join() === "1,2,3");
 * ```
 */
export function toBackendSync(x: TensorLike, backend: Backend | string): Tensor {
  if (!isBackend(backend) && typeof backend !== "string") {
    throw typeError("toBackendSync", `backend must be a Backend or a name, got ${typeof backend}`);
  }
  const target = isBackend(backend) ? backend : backendSync("toBackendSync", backend);
  const t = toTensor(x, "toBackendSync", isTensor(x) ? {} : { backend: target });
  try {
    if (t.backend !== target && !t.backend.capabilities.readSync) {
      throw typeError(
        "toBackendSync",
        `the ${t.backend.name} backend cannot read synchronously; use await toBackend()`,
      );
    }
    return moveTo("toBackendSync", t, target, () => t.dataSync());
  } finally {
    if (t !== x) t.dispose();
  }
}
