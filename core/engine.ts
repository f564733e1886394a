/**
 * The engine: which backend is current, the registry of backends, tidy scopes,
 * live-tensor accounting and the hook autodiff uses to record operations.
 *
 * @module
 */

import type { Backend, BackendMemory } from "../backends/backend.ts";
import type { Tensor } from "./tensor.ts";
import { rangeError } from "./errors.ts";

/** Names of the built-in backends, plus "auto". */
export type BackendName = "cpu" | "webgpu" | "blas" | "auto";

/** What the registry knows about one backend. */
export interface BackendEntry {
  /** Registry name. */
  readonly name: string;
  /** Higher wins for "auto". */
  readonly priority: number;
  /** Create the backend, or throw an Error saying why it is unavailable. */
  readonly create: () => Backend | Promise<Backend>;
  /** Whether "auto" may pick this backend once created (e.g. a hardware GPU only). */
  readonly autoEligible?: (backend: Backend) => boolean;
}

/** One line of the capability report returned by {@link backends}. */
export interface BackendReport {
  /** Registry name. */
  readonly name: string;
  /** Whether the backend can be used here. */
  readonly available: boolean;
  /** Why not (when unavailable), or a short description (when available). */
  readonly reason: string;
  /** Whether it is the current backend. */
  readonly current: boolean;
  /** Capabilities, when available. */
  readonly capabilities?: Backend["capabilities"];
}

/** A recorded operation, for reverse-mode autodiff. */
export interface TapeNode {
  /** Op name as recorded by `core/ops` (e.g. "add", "matmul", "reduce.sum"). */
  readonly op: string;
  /** Input tensors. */
  readonly inputs: readonly Tensor[];
  /** Output tensors. */
  readonly outputs: readonly Tensor[];
  /** Op attributes (axes, shapes, flags) needed by the VJP rule. */
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** A listener for recorded operations (implemented by `core/autodiff`). */
export interface Tape {
  /** Called for every op executed while the tape is active. */
  record(node: TapeNode): void;
}

interface Scope {
  readonly tensors: Set<Tensor>;
}

/** Global engine state (one per process). */
class Engine {
  readonly entries = new Map<string, BackendEntry>();
  readonly instances = new Map<string, Backend>();
  readonly failures = new Map<string, string>();
  current: Backend | null = null;
  readonly scopes: Scope[] = [];
  readonly tapes: Tape[] = [];
  /** Live Tensor objects per backend name. */
  readonly live = new Map<string, Set<Tensor>>();
  /** Disposal is deferred while > 0 (autodiff keeps recorded tensors alive). */
  holdDisposal = 0;
  readonly deferred = new Set<Tensor>();
}

const ENGINE = new Engine();

/** Internal engine access (for core modules only). */
export function engine(): Engine {
  return ENGINE;
}

/**
 * Register a backend factory. Built-ins are registered by `backends/registry.ts`.
 *
 * @example
 * ```ts
 * import { registerBackend } from "./engine.ts";
 * import { CpuBackend } from "../backends/cpu/mod.ts";
 * registerBackend({ name: "cpu2", priority: 0, create: () => new CpuBackend() });
 * ```
 */
export function registerBackend(entry: BackendEntry): void {
  ENGINE.entries.set(entry.name, entry);
}

function instantiateSync(name: string): Backend {
  const have = ENGINE.instances.get(name);
  if (have) return have;
  const entry = ENGINE.entries.get(name);
  if (!entry) {
    throw rangeError(
      "setBackend",
      `unknown backend "${name}"; known: ${[...ENGINE.entries.keys()].join(", ")}`,
    );
  }
  const made = entry.create();
  if (made instanceof Promise) {
    throw rangeError(
      "getBackend",
      `backend "${name}" initialises asynchronously; call await setBackend("${name}") first`,
    );
  }
  ENGINE.instances.set(name, made);
  return made;
}

async function instantiate(name: string): Promise<Backend> {
  const have = ENGINE.instances.get(name);
  if (have) return have;
  const entry = ENGINE.entries.get(name);
  if (!entry) {
    throw rangeError(
      "setBackend",
      `unknown backend "${name}"; known: ${[...ENGINE.entries.keys()].join(", ")}`,
    );
  }
  const made = await entry.create();
  ENGINE.instances.set(name, made);
  return made;
}

/** Try to create a backend; remember the reason if it fails. */
async function tryInstantiate(name: string): Promise<Backend | null> {
  try {
    const b = await instantiate(name);
    ENGINE.failures.delete(name);
    return b;
  } catch (e) {
    ENGINE.failures.set(name, e instanceof Error ? e.message : String(e));
    return null;
  }
}

function tryInstantiateSync(name: string): Backend | null {
  try {
    return instantiateSync(name);
  } catch (e) {
    ENGINE.failures.set(name, e instanceof Error ? e.message : String(e));
    return null;
  }
}

function envBackend(): string | undefined {
  try {
    // deno-lint-ignore no-explicit-any
    const g = globalThis as any;
    if (g.Deno?.env?.get) return g.Deno.env.get("NGC_BACKEND") || undefined;
    return g.process?.env?.NGC_BACKEND || undefined;
  } catch {
    return undefined; // no --allow-env: behave as if unset
  }
}

function sortedEntries(): BackendEntry[] {
  return [...ENGINE.entries.values()].sort((a, b) => b.priority - a.priority);
}

/**
 * Choose the current backend: "cpu", "webgpu", "blas" or "auto" (a hardware
 * WebGPU adapter, else blas if OpenBLAS loads, else cpu). Asynchronous because
 * WebGPU adapters are requested asynchronously. Throws a `RangeError` naming
 * the reason when an explicitly named backend is unavailable.
 *
 * @example
 * ```ts
 * import { getBackend, setBackend } from "../mod.ts";
 * await setBackend("cpu");
 * console.assert(getBackend().name === "cpu");
 * ```
 */
export async function setBackend(name: BackendName | string): Promise<void> {
  if (name === "auto") {
    for (const entry of sortedEntries()) {
      const b = await tryInstantiate(entry.name);
      if (b && (!entry.autoEligible || entry.autoEligible(b))) {
        ENGINE.current = b;
        return;
      }
    }
    throw rangeError("setBackend", "no backend is available");
  }
  const b = await tryInstantiate(name);
  if (!b) {
    throw rangeError(
      "setBackend",
      `backend "${name}" is unavailable: ${ENGINE.failures.get(name)}`,
    );
  }
  ENGINE.current = b;
}

/**
 * The current backend. If none was chosen yet, resolves `NGC_BACKEND` (or
 * "auto") among the backends that initialise synchronously (blas, cpu); a
 * WebGPU backend is only chosen by `await setBackend(...)` or `await ready()`.
 *
 * @example
 * ```ts
 * import { getBackend } from "../mod.ts";
 * console.log(getBackend().name);
 * ```
 */
export function getBackend(): Backend {
  if (ENGINE.current) return ENGINE.current;
  const wanted = envBackend();
  if (wanted && wanted !== "auto") {
    const b = tryInstantiateSync(wanted);
    if (!b) {
      throw rangeError(
        "getBackend",
        `NGC_BACKEND=${wanted} is unavailable: ${ENGINE.failures.get(wanted)}`,
      );
    }
    ENGINE.current = b;
    return b;
  }
  for (const entry of sortedEntries()) {
    if (entry.name === "webgpu") continue; // asynchronous: only through ready()/setBackend
    const b = tryInstantiateSync(entry.name);
    if (b && (!entry.autoEligible || entry.autoEligible(b))) {
      ENGINE.current = b;
      return b;
    }
  }
  throw rangeError("getBackend", "no backend is available");
}

/**
 * Resolve the default backend (`NGC_BACKEND`, else "auto") including
 * asynchronous ones (WebGPU). Call once at program start for GPU use.
 *
 * @example
 * ```ts
 * import { ready } from "../mod.ts";
 * const backend = await ready();
 * console.log(backend.name);
 * ```
 */
export async function ready(): Promise<Backend> {
  if (ENGINE.current) return ENGINE.current;
  await setBackend(envBackend() ?? "auto");
  return ENGINE.current!;
}

/**
 * A backend instance by name (created on first use), without making it current.
 *
 * @example
 * ```ts
 * import { backendByName } from "../mod.ts";
 * const cpu = await backendByName("cpu");
 * console.assert(cpu.name === "cpu");
 * ```
 */
export async function backendByName(name: string): Promise<Backend> {
  const b = await tryInstantiate(name);
  if (!b) {
    throw rangeError(
      "backendByName",
      `backend "${name}" is unavailable: ${ENGINE.failures.get(name)}`,
    );
  }
  return b;
}

/**
 * Report every registered backend: available or not, and why.
 *
 * @example
 * ```ts
 * import { backends } from "../mod.ts";
 * for (const r of await backends()) console.log(r.name, r.available, r.reason);
 * ```
 */
export async function backends(): Promise<BackendReport[]> {
  const out: BackendReport[] = [];
  for (const entry of sortedEntries()) {
    const b = await tryInstantiate(entry.name);
    const eligible = b && entry.autoEligible ? entry.autoEligible(b) : true;
    out.push({
      name: entry.name,
      available: b !== null,
      reason: b
        ? (b.capabilities.notes?.join("; ") ?? "available") +
          (eligible ? "" : ' (not chosen by "auto")')
        : ENGINE.failures.get(entry.name) ?? "unavailable",
      current: b !== null && ENGINE.current === b,
      capabilities: b?.capabilities,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------
// Tensor tracking, tidy scopes, disposal

/** Called by the Tensor constructor. */
export function trackTensor(t: Tensor): void {
  let set = ENGINE.live.get(t.backend.name);
  if (!set) {
    set = new Set();
    ENGINE.live.set(t.backend.name, set);
  }
  set.add(t);
  const scope = ENGINE.scopes[ENGINE.scopes.length - 1];
  if (scope) scope.tensors.add(t);
}

/** Called by `Tensor.dispose`; returns false when disposal is deferred. */
export function untrackTensor(t: Tensor): boolean {
  if (ENGINE.holdDisposal > 0) {
    ENGINE.deferred.add(t);
    return false;
  }
  ENGINE.live.get(t.backend.name)?.delete(t);
  for (const s of ENGINE.scopes) s.tensors.delete(t);
  return true;
}

/**
 * Defer all `dispose()` calls while `fn` runs (autodiff keeps the tensors it
 * recorded alive until the backward pass is done), then perform them.
 */
export function withDisposalHeld<T>(fn: () => T): T {
  ENGINE.holdDisposal++;
  try {
    return fn();
  } finally {
    ENGINE.holdDisposal--;
    if (ENGINE.holdDisposal === 0 && ENGINE.deferred.size > 0) {
      const pending = [...ENGINE.deferred];
      ENGINE.deferred.clear();
      for (const t of pending) t.dispose();
    }
  }
}

/** Collect every Tensor reachable in a value (arrays, plain objects, Maps). */
export function collectTensors(value: unknown, out: Set<Tensor> = new Set()): Set<Tensor> {
  if (value === null || value === undefined) return out;
  if (isTensor(value)) {
    out.add(value);
  } else if (Array.isArray(value)) {
    for (const v of value) collectTensors(v, out);
  } else if (value instanceof Map) {
    for (const v of value.values()) collectTensors(v, out);
  } else if (typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value as Record<string, unknown>)) collectTensors(v, out);
  }
  return out;
}

/** Structural check that avoids importing the Tensor class (no cycle). */
export function isTensor(v: unknown): v is Tensor {
  return typeof v === "object" && v !== null && (v as { __isTensor?: boolean }).__isTensor === true;
}

/**
 * Run `fn` and dispose every tensor it created except those it returns
 * (anywhere inside arrays/objects) and those passed to {@link keep}.
 * Synchronous only: an async function would escape the scope.
 *
 * @example
 * ```ts
 * import { add, memory, tensor, tidy } from "../mod.ts";
 * const before = memory().tensors;
 * const y = tidy(() => add(add(tensor([1, 2]), 1), 2));
 * console.assert(memory().tensors === before + 1);
 * y.dispose();
 * ```
 */
export function tidy<T>(fn: () => T): T {
  const scope: Scope = { tensors: new Set() };
  ENGINE.scopes.push(scope);
  let result: T;
  try {
    result = fn();
    if (result instanceof Promise) {
      throw new TypeError("tidy(): fn must be synchronous (it returned a Promise)");
    }
  } catch (e) {
    ENGINE.scopes.pop();
    for (const t of scope.tensors) t.dispose();
    throw e;
  }
  ENGINE.scopes.pop();
  const kept = collectTensors(result);
  const parent = ENGINE.scopes[ENGINE.scopes.length - 1];
  for (const t of scope.tensors) {
    if (kept.has(t)) {
      if (parent) parent.tensors.add(t);
    } else {
      t.dispose();
    }
  }
  return result;
}

/**
 * Exempt a tensor from disposal by the enclosing {@link tidy} scopes.
 *
 * @example
 * ```ts
 * import { keep, tensor, tidy } from "../mod.ts";
 * let kept;
 * tidy(() => { kept = keep(tensor([1, 2, 3])); });
 * console.assert(!kept!.isDisposed);
 * ```
 */
export function keep<T extends Tensor>(t: T): T {
  for (const s of ENGINE.scopes) s.tensors.delete(t);
  return t;
}

/** Memory report returned by {@link memory}. */
export interface MemoryReport {
  /** Live Tensor objects over all backends. */
  readonly tensors: number;
  /** Per-backend live tensors and storage. */
  readonly backends: Readonly<Record<string, BackendMemory & { readonly tensors: number }>>;
}

/**
 * Live tensors and bytes per backend (for leak tests).
 *
 * @example
 * ```ts
 * import { memory } from "../mod.ts";
 * const m = memory();
 * console.log(m.tensors, m.backends);
 * ```
 */
export function memory(): MemoryReport {
  let total = 0;
  const per: Record<string, BackendMemory & { tensors: number }> = {};
  for (const [name, b] of ENGINE.instances) {
    const count = ENGINE.live.get(name)?.size ?? 0;
    total += count;
    per[name] = { ...b.memory(), tensors: count };
  }
  return { tensors: total, backends: per };
}

// ---------------------------------------------------------------------------
// Autodiff hook

/** Activate a tape (autodiff); returns a function that deactivates it. */
export function pushTape(tape: Tape): () => void {
  ENGINE.tapes.push(tape);
  return () => {
    const i = ENGINE.tapes.lastIndexOf(tape);
    if (i >= 0) ENGINE.tapes.splice(i, 1);
  };
}

/** Whether any tape is recording (ops skip building attrs when not). */
export function isRecording(): boolean {
  return ENGINE.tapes.length > 0;
}

/**
 * Record an executed op on every active tape. `core/ops` calls this for every
 * differentiable op; `core/autodiff` holds the VJP rule per `op` name.
 */
export function recordOp(
  op: string,
  inputs: readonly Tensor[],
  outputs: readonly Tensor[],
  attrs: Record<string, unknown> = {},
): void {
  if (ENGINE.tapes.length === 0) return;
  const node: TapeNode = { op, inputs, outputs, attrs };
  for (const tape of ENGINE.tapes) tape.record(node);
}
