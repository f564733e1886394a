/**
 * Subprocess probe for `unavailable_test.ts`: tries `createBlasBackend()`
 * and the default ("auto") backend, and prints one JSON line. Run with
 * whatever permissions the test wants to exercise.
 *
 * @module
 */

import "../../../backends/registry.ts";
import { getBackend } from "../../../core/engine.ts";
import { createBlasBackend } from "../../../backends/blas/mod.ts";

let error: string | null = null;
try {
  createBlasBackend();
} catch (e) {
  error = `${(e as Error).constructor.name}: ${(e as Error).message}`;
}
console.log(JSON.stringify({ error, auto: getBackend().name }));
