/**
 * A small process abstraction on `core` `scan`, replacing ngclearn's
 * `JaxProcessesMixin` (`JointProcess` / `MethodProcess`): a {@link Process}
 * holds a state (a pytree of tensors) and a step
 * `(state, input) → [newState, output]`; {@link Process.run} advances the
 * state by one step, {@link Process.scan} runs the step over time (the
 * leading axis of the inputs) on the device and keeps the last state and the
 * stacked outputs. There is no JIT to switch on or off.
 *
 * @module
 */

import { rangeError, typeError } from "../core/errors.ts";
import { expandDims, squeeze, tensor } from "../core/ops/mod.ts";
import { type PyTree, treeLeaves, treeMap } from "../core/autodiff/mod.ts";
import { scan } from "../core/scan.ts";

/**
 * The step of a {@link Process}: from the current state and one time slice of
 * the inputs (`null` when there are none) to `[newState, output]`. It must be
 * synchronous, keep the state's structure, shapes and dtypes, and use `core`
 * ops only (so it runs on every backend and under `grad`). `output` may be
 * `null` (nothing watched).
 *
 * @example
 * ```ts
 * import { add, type Tensor } from "../mod.ts";
 * import type { ProcessStep } from "./process.ts";
 * const accumulate: ProcessStep<{ total: Tensor }, Tensor, Tensor> = (s, x) => {
 *   const total = add(s.total, x);
 *   return [{ total }, total];
 * };
 * console.assert(typeof accumulate === "function");
 * ```
 */
export type ProcessStep<S extends PyTree, X extends PyTree, Y extends PyTree> = (
  state: S,
  input: X,
) => readonly [S, Y];

/**
 * Options of {@link Process.scan} (ngclearn's `current_state`,
 * `store_state`, `store_results`, plus `length` and `updateState`).
 *
 * @example
 * ```ts
 * import type { ProcessScanOptions } from "./process.ts";
 * const o: ProcessScanOptions<null> = { length: 10, storeResults: false };
 * console.assert(o.length === 10);
 * ```
 */
export interface ProcessScanOptions<S extends PyTree> {
  /** Start from this state instead of the process's (it is not consumed). */
  readonly state?: S;
  /** Keep the final state as {@link Process.previousState} (default true). */
  readonly storeState?: boolean;
  /** Keep the stacked outputs as {@link Process.previousResult} (default true). */
  readonly storeResults?: boolean;
  /** Number of steps when `inputs` is `null` (else it must match the inputs). */
  readonly length?: number;
  /**
   * Also make the final state the process's current state (a copy). Default
   * false: as ngclearn's `scan`, the held state is left as it was.
   */
  readonly updateState?: boolean;
}

function disposeTree(tree: PyTree | null): void {
  if (tree === null || tree === undefined) return;
  for (const t of treeLeaves(tree)) t.dispose();
}

function copyTree<T extends PyTree>(tree: T): T {
  return treeMap(tree, (t) => tensor(t)) as T;
}

function checkBool(name: string, v: unknown, dflt: boolean): boolean {
  if (v === undefined) return dflt;
  if (typeof v !== "boolean") {
    throw typeError("Process.scan", `${name} must be a boolean, got ${typeof v}`);
  }
  return v;
}

/**
 * A stateful process on `scan` (ngclearn `JaxProcessesMixin`).
 *
 * Ownership: the process owns its {@link Process.state} (a copy of what it
 * was given), {@link Process.previousState} and {@link Process.previousResult};
 * they stay valid until replaced (by the next `scan`, `clear`, a new `state`)
 * or until {@link Process.dispose}. `scan` returns `[finalState, results]`:
 * a part that is stored (the default) is the stored tensors themselves, owned
 * by the process (copy them with `tensor(x)` to keep them longer); a part
 * that is not stored (`storeState: false` / `storeResults: false`) belongs
 * to the caller. {@link Process.run}'s output belongs to the caller.
 *
 * @example
 * ```ts
 * import { add, mul, tensor, type Tensor } from "../mod.ts";
 * import { Process } from "./process.ts";
 * // leaky integrator v ← 0.9·v + x, watching v
 * using v0 = tensor([0, 0]);
 * const leaky = new Process((s: { v: Tensor }, x: Tensor) => {
 *   const v = add(mul(s.v, 0.9), x);
 *   return [{ v }, v] as const;
 * }, { v: v0 }); // the process copies the initial state (v0 stays ours)
 * using inputs = tensor([[1, 0], [1, 0], [0, 1]]); // 3 time steps
 * const [last, vs] = leaky.scan(inputs);
 * console.assert(vs.shape.join() === "3,2" && last === leaky.previousState);
 * console.log(await vs.array()); // ≈ [[1, 0], [1.9, 0], [1.71, 1]]
 * leaky.dispose(); // frees state, previousState and previousResult
 * ```
 */
export class Process<S extends PyTree, X extends PyTree = PyTree, Y extends PyTree = PyTree> {
  /** A label (ngclearn's process name; used in messages). */
  readonly name: string;
  readonly #step: ProcessStep<S, X, Y>;
  #state: S;
  #previousState: S | null = null;
  #previousResult: Y | null = null;
  #disposed = false;

  /**
   * A process with a step and an initial state (copied: the caller keeps
   * ownership of what it passed).
   */
  constructor(
    step: ProcessStep<S, X, Y>,
    initialState: S,
    options: { readonly name?: string } = {},
  ) {
    if (typeof step !== "function") {
      throw typeError(
        "Process",
        `step must be a function (state, input) => [state, output], got ${typeof step}`,
      );
    }
    const name = options?.name ?? "process";
    if (typeof name !== "string") {
      throw typeError("Process", `name must be a string, got ${typeof name}`);
    }
    this.name = name;
    this.#step = step;
    this.#state = copyTree(initialState);
  }

  #alive(fn: string): void {
    if (this.#disposed) throw typeError(fn, `process "${this.name}" was disposed`);
  }

  /** The current state (owned by the process). */
  get state(): S {
    this.#alive("Process.state");
    return this.#state;
  }

  /** Replace the current state by a copy of `s` (the old one is disposed). */
  set state(s: S) {
    this.#alive("Process.state");
    const next = copyTree(s);
    disposeTree(this.#state);
    this.#state = next;
  }

  /** The final state of the last stored `scan`, or null (ngclearn `previous_state`). */
  get previousState(): S | null {
    return this.#previousState;
  }

  /** The stacked outputs of the last stored `scan`, or null (ngclearn `previous_result`). */
  get previousResult(): Y | null {
    return this.#previousResult;
  }

  /**
   * One step from the current state: the state is advanced (written back)
   * and the step's output returned (owned by the caller).
   *
   * @example
   * ```ts
   * import { add, tensor, type Tensor } from "../mod.ts";
   * import { Process } from "./process.ts";
   * using zero = tensor(0);
   * using p = new Process((s: Tensor, x: Tensor) => [add(s, x), null] as const, zero);
   * using one = tensor(1);
   * p.run(one);
   * p.run(one);
   * console.assert(p.state.dataSync()[0] === 2);
   * ```
   */
  run(input: X): Y {
    this.#alive("Process.run");
    // One step = a scan of length 1 (same checks and ownership rules).
    const xs = input === null || input === undefined
      ? null
      : treeMap(input, (t) => expandDims(t, 0)) as X;
    let next: S, ys: Y;
    try {
      [next, ys] = scan(this.#step, this.#state, xs, xs === null ? { length: 1 } : {});
    } finally {
      disposeTree(xs);
    }
    disposeTree(this.#state);
    this.#state = next;
    const out = treeMap(ys, (t) => squeeze(t, 0)) as Y;
    disposeTree(ys);
    return out;
  }

  /**
   * Run the step over the leading (time) axis of `inputs` (a pytree of
   * tensors, or `null` with `length`) from `options.state` or the current
   * state, on the device (`core` `scan`). Returns `[finalState, results]`,
   * every leaf of the outputs stacked along a new axis 0; stores them as
   * {@link Process.previousState} / {@link Process.previousResult} (see
   * the class for ownership). Differentiable with `grad` when the step is.
   *
   * @example
   * ```ts
   * import { add, tensor, type Tensor } from "../mod.ts";
   * import { Process } from "./process.ts";
   * using zero = tensor(0);
   * using counter = new Process((s: Tensor, _x: null) => {
   *   const n = add(s, 1);
   *   return [n, n] as const;
   * }, zero);
   * const [n, all] = counter.scan(null, { length: 4, storeResults: false });
   * console.assert(n.dataSync()[0] === 4 && all.dataSync().join() === "1,2,3,4");
   * all.dispose(); // not stored: ours to free
   * ```
   */
  scan(inputs: X | null, options: ProcessScanOptions<S> = {}): [S, Y] {
    this.#alive("Process.scan");
    if (options === null || typeof options !== "object") {
      throw typeError("Process.scan", `options must be an object, got ${options}`);
    }
    const storeState = checkBool("storeState", options.storeState, true);
    const storeResults = checkBool("storeResults", options.storeResults, true);
    const updateState = checkBool("updateState", options.updateState, false);
    if (options.length !== undefined && (!Number.isInteger(options.length) || options.length < 0)) {
      throw rangeError("Process.scan", `length must be an integer >= 0, got ${options.length}`);
    }
    const init = options.state ?? this.#state;
    const [final, results] = scan(
      this.#step,
      init,
      inputs,
      options.length === undefined ? {} : { length: options.length },
    );
    if (updateState) {
      const next = copyTree(final);
      disposeTree(this.#state);
      this.#state = next;
    }
    if (storeState) {
      disposeTree(this.#previousState);
      this.#previousState = final;
    }
    if (storeResults) {
      disposeTree(this.#previousResult);
      this.#previousResult = results;
    }
    return [final, results];
  }

  /** Forget (and free) `previousState` and `previousResult` (ngclearn `clear`). */
  clear(): void {
    disposeTree(this.#previousState);
    disposeTree(this.#previousResult);
    this.#previousState = null;
    this.#previousResult = null;
  }

  /** Free everything the process owns; it cannot be used afterwards. Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    this.clear();
    disposeTree(this.#state);
    this.#disposed = true;
  }

  /** `using p = new Process(...)` support. */
  [Symbol.dispose](): void {
    this.dispose();
  }
}
