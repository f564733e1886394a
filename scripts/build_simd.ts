/**
 * `deno run -A scripts/build_simd.ts [--check]`: writes the WebAssembly SIMD
 * (f32x4) kernels of the cpu backend, `backends/cpu/simd/kernels_wasm.ts`.
 *
 * The kernels are written here as WAT text (generated from small templates),
 * assembled with the npm package `wabt` and stored as a base64 string, so the
 * cpu backend needs no dependency at run time. `--check` only verifies that the
 * committed file matches what this script would write (exit code 1 if not).
 *
 * Memory contract (see `backends/cpu/simd/mod.ts`): one memory of
 * {@link PAGES} pages; the driver copies blocks of at most 16384 elements into
 * fixed regions and calls a kernel with byte offsets and an element count `n`.
 * Loops run whole vectors (f32x4; 16 elements for bool outputs), so they may
 * read and write up to 15 elements past `n` inside a region: the driver only
 * copies the first `n` back.
 *
 * Kernels (all float32):
 * - unary `(x, o, n)`: `exp`, `sigmoid`;
 * - binary `(a, b, o, n)` `*_vv` (same shape), `*_vs` (`a op s`), `*_sv`
 *   (`s op a`) for add, sub, mul, div, maximum, minimum;
 * - comparisons to bool bytes 0/1 `*_vv`, `*_vs` for equal, notEqual, less,
 *   lessEqual, greater, greaterEqual.
 *
 * @module
 */

import { assembleWat, base64Literal, writeOrCheck } from "./wasm_build.ts";

/** Memory size in 64 KiB pages (three 64 KiB regions A, B, O). */
export const PAGES = 3;

const OUT = new URL("../backends/cpu/simd/kernels_wasm.ts", import.meta.url);

/**
 * Vector constants of the function being generated: V8 does not hoist a
 * `v128.const` out of a loop (each costs several instructions), so constants
 * live in locals set once before the loop.
 */
let constants = new Map<string, string>();

/** A float32 constant splat to 4 lanes (a hoisted local). */
function splat(v: number | string): string {
  return hoist(`f32x4 ${v} ${v} ${v} ${v}`);
}

/** An int32 constant splat to 4 lanes (a hoisted local). */
function splatI(v: number | string): string {
  return hoist(`i32x4 ${v} ${v} ${v} ${v}`);
}

function hoist(lanes: string): string {
  let name = constants.get(lanes);
  if (name === undefined) {
    name = `$c${constants.size}`;
    constants.set(lanes, name);
  }
  return `(local.get ${name})`;
}

/** Generate a function body with `gen`, then declare and set its constants. */
function withConstants(gen: () => { locals: string; body: string }): string {
  constants = new Map();
  const { locals, body } = gen();
  const decl = [...constants.values()].map((n) => `(local ${n} v128)`).join(" ");
  const init = [...constants].map(([lanes, n]) => `(local.set ${n} (v128.const ${lanes}))`)
    .join("\n    ");
  return `${locals} ${decl}\n    ${init}\n    ${body}`;
}

/** `x·a + b` on f32x4 (two roundings: wasm SIMD has no fused multiply-add). */
function madd(x: string, a: string, b: string): string {
  return `(f32x4.add (f32x4.mul ${x} ${a}) ${b})`;
}

/**
 * `exp` of the f32x4 in `$v` (leaves the result on the stack), after Cephes
 * expf: clamp x to [−104, 89] (exp under/overflows outside: 0 and ∞; pmin/pmax
 * keep a NaN x), n = round(x·log2 e) by adding and subtracting 1.5·2²³ (the
 * integer lands in the low mantissa bits, round to nearest even),
 * r = x − n·C1 − n·C2 (Cody–Waite, C1 has 9 bits so n·C1 is exact),
 * e^r ≈ 1 + r + r²·P(r) (degree-5 minimax on |r| ≤ ln2/2), then ·2^n as two
 * exact power-of-two factors 2^(n>>1)·2^(n−n>>1) built in the exponent bits,
 * so 2^n never leaves the normal range and subnormal results round once.
 * Uses locals `$v $n $r $p $k $z` (v128).
 */
function expBody(): string {
  return `
    (local.set $v (f32x4.pmax (f32x4.pmin (local.get $v) ${splat(89)}) ${splat(-104)}))
    (local.set $k (f32x4.add (f32x4.mul (local.get $v) ${splat("1.44269504088896341")})
      ${splat(12582912)}))
    (local.set $n (f32x4.sub (local.get $k) ${splat(12582912)}))
    (local.set $r (f32x4.sub
      (f32x4.sub (local.get $v) (f32x4.mul (local.get $n) ${splat("0.693359375")}))
      (f32x4.mul (local.get $n) ${splat("-2.12194440e-4")})))
    ;; Estrin: P = (c0 + c1 r) + r²(c2 + c3 r) + r⁴(c4 + c5 r); e^r ≈ (P r² + r) + 1
    (local.set $z (f32x4.mul (local.get $r) (local.get $r)))
    (local.set $p (f32x4.add
      (f32x4.add
        ${madd("(local.get $r)", splat("1.6666665459e-1"), splat("5.0000001201e-1"))}
        (f32x4.mul (local.get $z)
          ${madd("(local.get $r)", splat("8.3334519073e-3"), splat("4.1665795894e-2"))}))
      (f32x4.mul (f32x4.mul (local.get $z) (local.get $z))
        ${madd("(local.get $r)", splat("1.9875691500e-4"), splat("1.3981999507e-3"))})))
    (local.set $p ${madd("(local.get $p)", "(local.get $z)", "(local.get $r)")})
    (local.set $p (f32x4.add (local.get $p) ${splat(1)}))
    ;; integer n = bits(k) − bits(1.5·2²³); split n = n1 + n2, n1 = n >> 1
    (local.set $k (i32x4.sub (local.get $k) ${splatI(0x4B400000)}))
    (local.set $n (i32x4.shr_s (local.get $k) (i32.const 1)))
    (local.set $k (i32x4.sub (local.get $k) (local.get $n)))
    (f32x4.mul
      (f32x4.mul (local.get $p)
        (i32x4.add (i32x4.shl (local.get $n) (i32.const 23)) ${splatI(0x3F800000)}))
      (i32x4.add (i32x4.shl (local.get $k) (i32.const 23)) ${splatI(0x3F800000)}))`;
}

/** A loop over f32x4 vectors of `$x` into `$o`; `body()` maps `$v` to the stack. */
function unary(name: string, body: () => string): string {
  return `
  (func (export "${name}") (param $x i32) (param $o i32) (param $len i32)
    ${
    withConstants(() => ({
      locals: `(local $end i32) (local $v v128) (local $n v128) (local $r v128) (local $p v128)
    (local $k v128) (local $s v128) (local $z v128)`,
      body: `(local.set $end (i32.add (local.get $o) (i32.shl (local.get $len) (i32.const 2))))
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $o) ${body()})
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $top)))`,
    }))
  })`;
}

/** Arithmetic ops: instruction applied to (left, right). */
const ARITH: Record<string, string> = {
  add: "f32x4.add",
  sub: "f32x4.sub",
  mul: "f32x4.mul",
  div: "f32x4.div",
  maximum: "f32x4.max",
  minimum: "f32x4.min",
};

/** `a op b` (vv), `a op s` (vs) and `s op a` (sv) loops for one arithmetic op. */
function binary(op: string, ins: string): string {
  const loop = (name: string, params: string, expr: string, stepB: boolean) => `
  (func (export "${name}") ${params} (param $o i32) (param $n i32)
    (local $end i32)${params.includes("$s ") ? " (local $sv v128)" : ""}
    ${params.includes("$s ") ? "(local.set $sv (f32x4.splat (local.get $s)))" : ""}
    (local.set $end (i32.add (local.get $o) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (v128.store (local.get $o) ${expr})
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        ${stepB ? "(local.set $b (i32.add (local.get $b) (i32.const 16)))" : ""}
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $top))))`;
  const va = "(v128.load (local.get $a))";
  const vb = "(v128.load (local.get $b))";
  return [
    loop(`${op}_vv`, "(param $a i32) (param $b i32)", `(${ins} ${va} ${vb})`, true),
    loop(`${op}_vs`, "(param $a i32) (param $s f32)", `(${ins} ${va} (local.get $sv))`, false),
    loop(`${op}_sv`, "(param $a i32) (param $s f32)", `(${ins} (local.get $sv) ${va})`, false),
  ].join("\n");
}

/** Comparisons: f32x4 instruction giving all-ones lanes where true. */
const COMPARE: Record<string, string> = {
  equal: "f32x4.eq",
  notEqual: "f32x4.ne",
  less: "f32x4.lt",
  lessEqual: "f32x4.le",
  greater: "f32x4.gt",
  greaterEqual: "f32x4.ge",
};

/**
 * Comparison loops writing 0/1 bytes, 16 elements per step: four f32x4 masks
 * (lanes 0 or −1) narrowed with signed saturation to i16x8 then i8x16, and
 * negated (−1 → 1).
 */
function compare(op: string, ins: string): string {
  const loop = (name: string, params: string, rhs: (k: number) => string, stepB: boolean) => {
    const m = (k: number) => `(${ins} (v128.load offset=${16 * k} (local.get $a)) ${rhs(k)})`;
    const scalar = params.includes("$s ");
    return `
  (func (export "${name}") ${params} (param $o i32) (param $n i32)
    (local $end i32)${scalar ? " (local $sv v128)" : ""}
    ${scalar ? "(local.set $sv (f32x4.splat (local.get $s)))" : ""}
    (local.set $end (i32.add (local.get $o) (local.get $n)))
    (block $done
      (loop $top
        (br_if $done (i32.ge_u (local.get $o) (local.get $end)))
        (v128.store (local.get $o)
          (i8x16.neg (i8x16.narrow_i16x8_s
            (i16x8.narrow_i32x4_s ${m(0)} ${m(1)})
            (i16x8.narrow_i32x4_s ${m(2)} ${m(3)}))))
        (local.set $a (i32.add (local.get $a) (i32.const 64)))
        ${stepB ? "(local.set $b (i32.add (local.get $b) (i32.const 64)))" : ""}
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $top))))`;
  };
  return [
    loop(
      `${op}_vv`,
      "(param $a i32) (param $b i32)",
      (k) => `(v128.load offset=${16 * k} (local.get $b))`,
      true,
    ),
    loop(`${op}_vs`, "(param $a i32) (param $s f32)", () => "(local.get $sv)", false),
  ].join("\n");
}

/**
 * `sigmoid(x)` with e = exp(−|x|) ∈ (0, 1]: `1/(1 + e)` for x ≥ 0 and
 * `e/(1 + e)` for x < 0, so tiny results (x < −88.7) stay subnormal instead of
 * 1/∞ = 0; NaN stays NaN. Uses `$s` (v128) for the sign mask.
 */
function sigmoidBody(): string {
  return `(block (result v128)
    (local.set $s (f32x4.lt (local.get $v) ${splat(0)}))
    (local.set $v (f32x4.neg (f32x4.abs (local.get $v))))
    (local.set $v ${"(block (result v128) " + expBody() + ")"})
    (f32x4.div
      (v128.bitselect (local.get $v) ${splat(1)} (local.get $s))
      (f32x4.add ${splat(1)} (local.get $v))))`;
}

/** The whole module in WAT. */
export function wat(): string {
  const parts = [
    `(module`,
    `  (memory (export "memory") ${PAGES} ${PAGES})`,
    unary("exp", () => `(block (result v128) ${expBody()})`),
    unary("sigmoid", sigmoidBody),
    ...Object.entries(ARITH).map(([op, ins]) => binary(op, ins)),
    ...Object.entries(COMPARE).map(([op, ins]) => compare(op, ins)),
    `)`,
  ];
  return parts.join("\n") + "\n";
}

/** Assemble the WAT to wasm bytes (SIMD enabled) and check they validate. */
export function assemble(): Promise<Uint8Array<ArrayBuffer>> {
  return assembleWat("kernels", wat());
}

/** The generated TypeScript file. */
export function render(bytes: Uint8Array): string {
  return `// GENERATED by scripts/build_simd.ts — do not edit by hand.
// Regenerate with: deno run -A scripts/build_simd.ts
// (the WAT source is in that script; it is assembled with npm:wabt).

/**
 * The float32 WebAssembly SIMD kernels of the cpu backend (${bytes.length} bytes),
 * base64-encoded; memory of ${PAGES} pages. Loaded by \`./mod.ts\`.
 *
 * @example
 * \`\`\`ts
 * import { KERNELS_WASM_BASE64 } from "./kernels_wasm.ts";
 * console.assert(atob(KERNELS_WASM_BASE64).startsWith("\\0asm"));
 * \`\`\`
 */
export const KERNELS_WASM_BASE64: string =
${base64Literal(bytes)};
`;
}

if (import.meta.main) {
  await writeOrCheck(OUT, render(await assemble()), "scripts/build_simd.ts");
}
