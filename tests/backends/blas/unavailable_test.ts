/**
 * The blas backend is optional: a missing library or a missing --allow-ffi
 * gives an Error that says why, and "auto" falls back to cpu. Nothing crashes.
 */

import assert from "node:assert/strict";
import { createBlasBackend } from "../../../backends/blas/mod.ts";
import { skipBlas } from "./setup.ts";

const PROBE = new URL("./probe.ts", import.meta.url).pathname;

/** Run the probe in a fresh Deno with the given flags and extra env. */
async function probe(
  flags: string[],
  env: Record<string, string> = {},
): Promise<{ error: string | null; auto: string }> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--no-prompt", ...flags, PROBE],
    env: { NGC_BACKEND: "", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder().decode(out.stdout).trim();
  assert.ok(out.success, `probe failed: ${new TextDecoder().decode(out.stderr)}`);
  return JSON.parse(text.split("\n").at(-1)!);
}

Deno.test("createBlasBackend with a bogus library name throws an Error saying why", () => {
  assert.throws(
    () => createBlasBackend({ library: "libngc-no-such-blas.so.7" }),
    (e: unknown) => {
      assert.ok(e instanceof Error);
      assert.match(
        e.message,
        /^createBlasBackend\(\): OpenBLAS not found \(tried libngc-no-such-blas\.so\.7\): .*libngc-no-such-blas/,
      );
      return true;
    },
  );
});

Deno.test("NGC_BLAS_LIB naming a missing library: Error, and auto falls back to cpu", async () => {
  const r = await probe(["--allow-ffi", "--allow-env"], { NGC_BLAS_LIB: "libngc-bogus.so" });
  assert.match(r.error ?? "", /OpenBLAS not found \(tried libngc-bogus\.so\)/);
  assert.equal(r.auto, "cpu");
});

Deno.test("without --allow-ffi: Error says it needs --allow-ffi, auto falls back to cpu", async () => {
  const r = await probe(["--allow-env"]);
  assert.match(r.error ?? "", /^Error: createBlasBackend\(\): OpenBLAS needs --allow-ffi/);
  assert.equal(r.auto, "cpu");
  const bare = await probe([]); // no permissions at all: no prompt, no crash
  assert.match(bare.error ?? "", /needs --allow-ffi/);
  assert.equal(bare.auto, "cpu");
});

Deno.test({
  name: "with OpenBLAS and --allow-ffi, auto picks blas",
  ignore: skipBlas,
  async fn() {
    const r = await probe(["--allow-ffi", "--allow-env"]);
    assert.equal(r.error, null);
    assert.equal(r.auto, "blas");
  },
});
