/**
 * Shared steps of the scripts that generate the cpu backend's WebAssembly
 * SIMD modules (`build_simd.ts`, `build_simd_gemm.ts`): assemble WAT with the
 * npm package `wabt`, render the bytes as a base64 string literal, and write
 * the generated file or (`--check`) verify that the committed one is current.
 *
 * @module
 */

// Build-time only dependency, pinned inline (not in deno.json imports).
// deno-lint-ignore no-import-prefix
import wabtInit from "npm:wabt@1.0.39";

/** Assemble `watText` to wasm bytes (SIMD enabled) and check they validate. */
export async function assembleWat(
  name: string,
  watText: string,
): Promise<Uint8Array<ArrayBuffer>> {
  const wabt = await wabtInit();
  const mod = wabt.parseWat(`${name}.wat`, watText, { simd: true });
  mod.validate();
  const buffer = new Uint8Array(mod.toBinary({}).buffer);
  mod.destroy();
  if (!WebAssembly.validate(buffer)) throw new Error(`${name}: module does not validate`);
  return buffer;
}

/** The bytes as a base64 TS string literal, 96 characters a line joined by `+`. */
export function base64Literal(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  const b64 = btoa(s);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 96) lines.push(`  "${b64.slice(i, i + 96)}"`);
  return lines.join(" +\n");
}

/**
 * Write `text` to `out`, or with `--check` in the arguments exit 1 when the
 * committed file differs (telling to rerun `script`).
 */
export async function writeOrCheck(out: URL, text: string, script: string): Promise<void> {
  if (Deno.args.includes("--check")) {
    const old = await Deno.readTextFile(out).catch(() => "");
    if (old !== text) {
      console.error(`${out.pathname} is stale: run deno run -A ${script}`);
      Deno.exit(1);
    }
    console.log(`${out.pathname} is up to date`);
  } else {
    await Deno.writeTextFile(out, text);
    console.log(`wrote ${out.pathname}`);
  }
}
