/**
 * `einsum` for one or two operands, lowered to transposes, sums and one
 * batched {@link matmul} (no per-element loops), so it runs on every backend
 * and differentiates through the recorded ops.
 *
 * @module
 */

import { broadcastShapes, sizeOf } from "../../backends/backend.ts";
import { fmtShape, rangeError, typeError } from "../errors.ts";
import type { Tensor } from "../tensor.ts";
import { isFloat, promoteTypes, sameBackend, type TensorLike, toTensor } from "./convert.ts";
import { castTo } from "./linalg_common.ts";
import { matmul } from "./matmul.ts";
import { pCast, pReduce, pReshape, pTranspose, scoped } from "./prim.ts";

/** Parsed subscripts: one label list per operand and the output labels. */
interface Parsed {
  readonly inputs: string[][];
  readonly output: string[];
}

const LETTER = /^[a-zA-Z]$/;

/** Split one term into labels; "..." becomes placeholder labels "0", "1", ... right-aligned. */
function termLabels(fn: string, term: string, rank: number | null, ellDims: number): string[] {
  const parts = term.split("...");
  if (parts.length > 2) throw rangeError(fn, `more than one "..." in term "${term}"`);
  for (const ch of parts.join("")) {
    if (!LETTER.test(ch)) {
      throw rangeError(fn, `invalid subscript character ${JSON.stringify(ch)} in "${term}"`);
    }
  }
  if (parts.length === 1) return [...parts[0]];
  const explicit = parts[0].length + parts[1].length;
  const e = rank === null ? ellDims : rank - explicit;
  if (e < 0) throw typeError(fn, `term "${term}" has more labels than the operand's rank ${rank}`);
  const ell = Array.from({ length: e }, (_, i) => String(ellDims - e + i));
  return [...parts[0], ...ell, ...parts[1]];
}

function parse(fn: string, subscripts: string, ranks: readonly number[]): Parsed {
  const spec = subscripts.replace(/\s+/g, "");
  const arrow = spec.indexOf("->");
  const lhs = arrow < 0 ? spec : spec.slice(0, arrow);
  const terms = lhs.split(",");
  if (terms.length !== ranks.length) {
    throw typeError(
      fn,
      `subscripts "${subscripts}" name ${terms.length} operands, got ${ranks.length}`,
    );
  }
  let ellDims = 0;
  terms.forEach((t, i) => {
    if (t.includes("...")) ellDims = Math.max(ellDims, ranks[i] - (t.length - 3));
  });
  const inputs = terms.map((t, i) => termLabels(fn, t, ranks[i], ellDims));
  inputs.forEach((labels, i) => {
    if (labels.length !== ranks[i]) {
      throw typeError(
        fn,
        `term "${terms[i]}" has ${labels.length} labels but operand ${i} has rank ${ranks[i]}`,
      );
    }
    if (new Set(labels).size !== labels.length) {
      throw rangeError(fn, `repeated label within term "${terms[i]}" (diagonals) is not supported`);
    }
  });
  let output: string[];
  if (arrow >= 0) {
    const rhs = spec.slice(arrow + 2);
    if (rhs.includes("...") && ellDims === 0 && !lhs.includes("...")) {
      throw rangeError(fn, `output uses "..." but no input does`);
    }
    output = termLabels(fn, rhs, null, ellDims);
    if (new Set(output).size !== output.length) {
      throw rangeError(fn, `repeated label in output "${rhs}"`);
    }
    const known = new Set(inputs.flat());
    for (const l of output) {
      if (!known.has(l)) throw rangeError(fn, `output label "${l}" does not appear in any input`);
    }
  } else {
    // Implicit mode (NumPy): broadcast dims first, then labels seen exactly once, alphabetically.
    const count = new Map<string, number>();
    for (const l of inputs.flat()) count.set(l, (count.get(l) ?? 0) + 1);
    const ell = Array.from({ length: ellDims }, (_, i) => String(i));
    const once = [...count.entries()].filter(([l, c]) => c === 1 && LETTER.test(l)).map(([l]) => l)
      .sort();
    output = [...ell, ...once];
  }
  return { inputs, output };
}

/** Sum `t` over its labels not in `keep`; returns the reduced tensor and its labels. */
function sumOut(t: Tensor, labels: string[], keep: (l: string) => boolean): [Tensor, string[]] {
  const axes = labels.map((l, i) => (keep(l) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return [t, labels];
  return [pReduce("sum", t, axes), labels.filter((l) => keep(l))];
}

/** Transpose so that the labels come in `order`. */
function arrange(t: Tensor, labels: string[], order: string[]): Tensor {
  const perm = order.map((l) => labels.indexOf(l));
  return perm.every((p, i) => p === i) ? t : pTranspose(t, perm);
}

/**
 * Einstein summation over one or two operands (`jnp.einsum`), e.g.
 * `"ij,jk->ik"` (matmul), `"bi,bj->bij"` (batched outer), `"bhte,bhse->bhts"`
 * (attention scores), `"ij->ji"`, `"ij->"`. A label repeated within one term
 * (diagonals, `"ii"`) is not supported. `"..."` stands for broadcast leading dims. Without `->`
 * the output is the labels seen once, alphabetically (NumPy). Labels shared
 * by both operands and the output are batch dims and broadcast (size 1 vs n);
 * contracted labels must have equal sizes. Two operands: int/bool inputs give
 * float32 (one matmul); one operand keeps its dtype (bool sums to int32).
 *
 * @example
 * ```ts
 * import { einsum } from "../../mod.ts";
 * using c = einsum("ij,jk->ik", [[[1, 2], [3, 4]], [[5], [6]]]);
 * console.assert(c.dataSync().join() === "17,39");
 * using o = einsum("bi,bj->bij", [[[1, 2]], [[3, 4]]]);
 * console.assert(o.shape.join() === "1,2,2" && o.dataSync().join() === "3,4,6,8");
 * ```
 */
export function einsum(subscripts: string, operands: readonly TensorLike[]): Tensor {
  const fn = "einsum";
  if (typeof subscripts !== "string") {
    throw typeError(fn, `subscripts must be a string, got ${typeof subscripts}`);
  }
  if (!Array.isArray(operands) || operands.length < 1 || operands.length > 2) {
    throw rangeError(
      fn,
      `expected 1 or 2 operands, got ${
        Array.isArray(operands) ? operands.length : typeof operands
      }`,
    );
  }
  return scoped(() => {
    const first = toTensor(operands[0], fn);
    const ts = operands.length === 1
      ? [first]
      : [first, toTensor(operands[1], fn, { backend: first.backend })];
    if (ts.length === 2) sameBackend(fn, ts[0], ts[1]);
    const { inputs, output } = parse(fn, subscripts, ts.map((t) => t.rank));
    const outSet = new Set(output);
    if (ts.length === 1) {
      const t = ts[0].dtype === "bool" ? pCast(ts[0], "int32") : ts[0];
      const [s, labels] = sumOut(t, inputs[0], (l) => outSet.has(l));
      return arrange(s, labels, output);
    }
    let dtype = promoteTypes(ts[0].dtype, ts[1].dtype);
    if (!isFloat(dtype)) dtype = "float32";
    const inB0 = new Set(inputs[1]), inA0 = new Set(inputs[0]);
    const [a, la] = sumOut(castTo(ts[0], dtype), inputs[0], (l) => outSet.has(l) || inB0.has(l));
    const [b, lb] = sumOut(castTo(ts[1], dtype), inputs[1], (l) => outSet.has(l) || inA0.has(l));
    const inA = new Set(la), inB = new Set(lb);
    const batch = output.filter((l) => inA.has(l) && inB.has(l));
    const aFree = output.filter((l) => inA.has(l) && !inB.has(l));
    const bFree = output.filter((l) => inB.has(l) && !inA.has(l));
    const contract = la.filter((l) => inB.has(l) && !outSet.has(l));
    const size = (t: Tensor, labels: string[], l: string) => t.shape[labels.indexOf(l)];
    for (const l of contract) {
      if (size(a, la, l) !== size(b, lb, l)) {
        throw typeError(
          fn,
          `contracted label "${l}" has size ${size(a, la, l)} in operand 0 ${
            fmtShape(ts[0].shape)
          } and ${size(b, lb, l)} in operand 1 ${fmtShape(ts[1].shape)}`,
        );
      }
    }
    const batchA = batch.map((l) => size(a, la, l)), batchB = batch.map((l) => size(b, lb, l));
    const batchShape = broadcastShapes(batchA, batchB);
    if (batchShape === null) {
      throw typeError(
        fn,
        `batch labels [${batch.join(", ")}] have sizes ${fmtShape(batchA)} and ${fmtShape(batchB)}`,
      );
    }
    const aFreeDims = aFree.map((l) => size(a, la, l)),
      bFreeDims = bFree.map((l) => size(b, lb, l));
    const k = sizeOf(contract.map((l) => size(a, la, l)));
    const a2 = pReshape(arrange(a, la, [...batch, ...aFree, ...contract]), [
      ...batchA,
      sizeOf(aFreeDims),
      k,
    ]);
    const b2 = pReshape(arrange(b, lb, [...batch, ...contract, ...bFree]), [
      ...batchB,
      k,
      sizeOf(bFreeDims),
    ]);
    const prod = pReshape(matmul(a2, b2), [...batchShape, ...aFreeDims, ...bFreeDims]);
    return arrange(prod, [...batch, ...aFree, ...bFree], output);
  });
}
