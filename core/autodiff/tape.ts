/**
 * The gradient tape: records the ops that depend on watched tensors (through
 * the engine's `Tape` hook, `pushTape`) and runs the reverse pass, walking the
 * recorded nodes backwards and accumulating cotangents with the VJP rules of
 * `rules/`.
 *
 * @module
 */

import type { Tape, TapeNode } from "../engine.ts";
import { tidy } from "../engine.ts";
import { fmtShape, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat } from "../ops/convert.ts";
import { pBinary, pCast } from "../ops/prim.ts";
import { vjpRule } from "./rules/mod.ts";

/**
 * Records every op that has a watched (or derived) float input and produces
 * a float output; everything else is a constant for this tape.
 *
 * @example
 * ```ts
 * import { exp, tensor } from "../../mod.ts";
 * import { pushTape } from "../engine.ts";
 * import { GradTape } from "./tape.ts";
 * const x = tensor([1, 2]);
 * const tape = new GradTape([x]);
 * const pop = pushTape(tape);
 * const y = exp(x);
 * pop();
 * console.assert(tape.nodes.length === 1 && tape.nodes[0].op === "exp");
 * x.dispose();
 * y.dispose();
 * ```
 */
export class GradTape implements Tape {
  /** Recorded nodes, in execution order. */
  readonly nodes: TapeNode[] = [];
  readonly #active = new Set<Tensor>();

  /** Watch `sources` (the differentiated inputs). */
  constructor(sources: readonly Tensor[] = []) {
    for (const s of sources) this.#active.add(s);
  }

  /** Whether `t` is watched or computed from a watched tensor. */
  depends(t: Tensor): boolean {
    return this.#active.has(t);
  }

  /** The engine hook: keep nodes on the path from the sources. */
  record(node: TapeNode): void {
    if (!node.inputs.some((t) => this.#active.has(t))) return;
    let any = false;
    for (const o of node.outputs) {
      if (isFloat(o.dtype)) {
        this.#active.add(o);
        any = true;
      }
    }
    if (any) this.nodes.push(node);
  }
}

/**
 * The reverse pass: seed `out` with `seed`, apply the VJP rule of each
 * recorded node from last to first, and return the accumulated cotangent of
 * each source (`null` where none reached it). `fn` names the public function
 * in error messages. Cotangents are created in the caller's tidy scope.
 *
 * @example
 * ```ts
 * import { mul, ones, tensor } from "../../mod.ts";
 * import { pushTape } from "../engine.ts";
 * import { backward, GradTape } from "./tape.ts";
 * const x = tensor([1, 2, 3]);
 * const tape = new GradTape([x]);
 * const pop = pushTape(tape);
 * const y = mul(x, x);
 * pop();
 * const seed = ones([3]);
 * const [g] = backward("example", tape, y, seed, [x]);
 * console.assert(g!.dataSync().join() === "2,4,6");
 * for (const t of [x, y, seed, g!]) t.dispose();
 * ```
 */
export function backward(
  fn: string,
  tape: GradTape,
  out: Tensor,
  seed: Tensor,
  sources: readonly Tensor[],
): (Tensor | null)[] {
  const cts = new Map<Tensor, Tensor>([[out, seed]]);
  for (let i = tape.nodes.length - 1; i >= 0; i--) {
    const node = tape.nodes[i];
    const outCts = node.outputs.map((o) => cts.get(o) ?? null);
    if (outCts.every((c) => c === null)) continue;
    const rule = vjpRule(node.op);
    if (!rule) {
      throw typeError(
        fn,
        `op "${node.op}" has no gradient rule; use stopGradient() around it or customVjp()`,
      );
    }
    const inCts = tidy(() => rule(node, outCts));
    node.inputs.forEach((x, j) => {
      const c = inCts[j];
      if (!c || !tape.depends(x)) return;
      if (c.shape.length !== x.shape.length || c.shape.some((d, q) => d !== x.shape[q])) {
        throw typeError(
          fn,
          `the gradient rule of "${node.op}" gave shape ${
            fmtShape(c.shape)
          } for input ${j} of shape ${fmtShape(x.shape)}`,
        );
      }
      const ct = c.dtype === x.dtype ? c : pCast(c, x.dtype);
      const prev = cts.get(x);
      cts.set(x, prev ? pBinary("add", prev, ct) : ct);
    });
  }
  return sources.map((s) => cts.get(s) ?? null);
}
