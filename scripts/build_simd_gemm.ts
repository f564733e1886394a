/**
 * `deno run -A scripts/build_simd_gemm.ts [--check]`: writes the WebAssembly
 * SIMD (f32x4) gemm macro-kernel of the cpu backend,
 * `backends/cpu/simd/gemm_wasm.ts`.
 *
 * The kernel is written here as WAT text, assembled with the npm package
 * `wabt` and stored as base64, so the cpu backend needs no dependency at run
 * time. `--check` only verifies that the committed file matches what this
 * script would write (exit code 1 if not).
 *
 * Exported function `macro(mc, nc, kc, pa, pb, c, ldc)` (sizes in elements,
 * addresses and `ldc` in bytes): `pa` holds `mc / MR` packed panels of op(A),
 * panel `i` at `pa + 4·i·MR·kc`, element `[p, r]` at `+ 4·(p·MR + r)`; `pb`
 * holds `nc / NR` packed panels of op(B) laid out the same way with `NR`
 * columns. For every `MR × NR` tile the kernel keeps `MR · NR / 4` f32x4 sums
 * in locals over the whole `kc` depth (float32 accumulation, mul then add:
 * baseline wasm SIMD has no fused multiply-add) and stores the tile into the
 * row-major `c` block (`ldc` bytes per row). `mc` and `nc` are multiples of
 * `MR` and `NR` (the driver pads the panels with zeros); `kc ≥ 1`.
 *
 * @module
 */

import { assembleWat, base64Literal, writeOrCheck } from "./wasm_build.ts";

/** Rows of op(A) per register tile. */
export const MR = 4;
/** Columns of op(B) per register tile (two f32x4 vectors). */
export const NR = 8;

const OUT = new URL("../backends/cpu/simd/gemm_wasm.ts", import.meta.url);

/** The micro-tile loop body of the macro-kernel (all `MR × NR / 4` sums). */
function tile(): string {
  const vecs = NR / 4;
  const acc = (r: number, v: number) => `$c${r}_${v}`;
  const lines: string[] = [];
  // Zero the sums.
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < vecs; v++) {
      lines.push(`(local.set ${acc(r, v)} (v128.const i32x4 0 0 0 0))`);
    }
  }
  // k loop: load the NR-wide row of B once, splat each A element.
  const body: string[] = [];
  for (let v = 0; v < vecs; v++) {
    body.push(`(local.set $b${v} (v128.load offset=${16 * v} (local.get $qb)))`);
  }
  for (let r = 0; r < MR; r++) {
    body.push(`(local.set $a (v128.load32_splat offset=${4 * r} (local.get $qa)))`);
    for (let v = 0; v < vecs; v++) {
      body.push(
        `(local.set ${acc(r, v)} (f32x4.add (local.get ${acc(r, v)}) ` +
          `(f32x4.mul (local.get $a) (local.get $b${v}))))`,
      );
    }
  }
  body.push(`(local.set $qa (i32.add (local.get $qa) (i32.const ${4 * MR})))`);
  body.push(`(local.set $qb (i32.add (local.get $qb) (i32.const ${4 * NR})))`);
  body.push(`(local.set $p (i32.sub (local.get $p) (i32.const 1)))`);
  body.push(`(br_if $k (local.get $p))`);
  lines.push(`(local.set $p (local.get $kc))`);
  lines.push(`(loop $k\n        ${body.join("\n        ")})`);
  // Store the tile: row r at ct + r·ldc.
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < vecs; v++) {
      lines.push(`(v128.store offset=${16 * v} (local.get $ct) (local.get ${acc(r, v)}))`);
    }
    lines.push(`(local.set $ct (i32.add (local.get $ct) (local.get $ldc)))`);
  }
  return lines.join("\n      ");
}

/** The whole module in WAT. */
export function wat(): string {
  const vecs = NR / 4;
  const accs: string[] = [];
  for (let r = 0; r < MR; r++) {
    for (let v = 0; v < vecs; v++) accs.push(`(local $c${r}_${v} v128)`);
  }
  const bs = Array.from({ length: vecs }, (_, v) => `(local $b${v} v128)`).join(" ");
  return `(module
  (memory (export "memory") 1)
  (func (export "macro") (param $mc i32) (param $nc i32) (param $kc i32)
    (param $pa i32) (param $pb i32) (param $c i32) (param $ldc i32)
    (local $ir i32) (local $jr i32) (local $p i32) (local $qa i32) (local $qb i32)
    (local $ct i32) (local $panelA i32) (local $panelB i32)
    (local $a v128) ${bs}
    ${accs.join(" ")}
    ;; bytes per packed panel
    (local.set $panelA (i32.mul (local.get $kc) (i32.const ${4 * MR})))
    (local.set $panelB (i32.mul (local.get $kc) (i32.const ${4 * NR})))
    (local.set $jr (i32.const 0))
    (block $jdone (loop $j
      (br_if $jdone (i32.ge_u (local.get $jr) (local.get $nc)))
      (local.set $ir (i32.const 0))
      (block $idone (loop $i
        (br_if $idone (i32.ge_u (local.get $ir) (local.get $mc)))
        (local.set $qa (i32.add (local.get $pa)
          (i32.mul (i32.div_u (local.get $ir) (i32.const ${MR})) (local.get $panelA))))
        (local.set $qb (i32.add (local.get $pb)
          (i32.mul (i32.div_u (local.get $jr) (i32.const ${NR})) (local.get $panelB))))
        (local.set $ct (i32.add (local.get $c)
          (i32.add (i32.mul (local.get $ir) (local.get $ldc))
            (i32.shl (local.get $jr) (i32.const 2)))))
      ${tile()}
        (local.set $ir (i32.add (local.get $ir) (i32.const ${MR})))
        (br $i)))
      (local.set $jr (i32.add (local.get $jr) (i32.const ${NR})))
      (br $j)))
  )
)
`;
}

/** Assemble the WAT to wasm bytes (SIMD enabled) and check they validate. */
export function assemble(): Promise<Uint8Array<ArrayBuffer>> {
  return assembleWat("gemm", wat());
}

/** The generated TypeScript file. */
export function render(bytes: Uint8Array): string {
  return `// GENERATED by scripts/build_simd_gemm.ts — do not edit by hand.
// Regenerate with: deno run -A scripts/build_simd_gemm.ts
// (the WAT source is in that script; it is assembled with npm:wabt).

/**
 * The float32 WebAssembly SIMD gemm macro-kernel of the cpu backend
 * (${bytes.length} bytes, ${MR} × ${NR} register tile), base64-encoded. Loaded by \`./gemm.ts\`.
 *
 * @example
 * \`\`\`ts
 * import { GEMM_WASM_BASE64 } from "./gemm_wasm.ts";
 * console.assert(atob(GEMM_WASM_BASE64).startsWith("\\0asm"));
 * \`\`\`
 */
export const GEMM_WASM_BASE64: string =
${base64Literal(bytes)};

/** Rows of op(A) per register tile of the kernel. */
export const GEMM_MR = ${MR};
/** Columns of op(B) per register tile of the kernel. */
export const GEMM_NR = ${NR};
`;
}

if (import.meta.main) {
  await writeOrCheck(OUT, render(await assemble()), "scripts/build_simd_gemm.ts");
}
