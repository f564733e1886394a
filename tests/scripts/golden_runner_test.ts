/**
 * The golden runner: its CLI on a folder of hand-made cases (PASS, FAIL,
 * SKIP, expected errors, exit code, summary line), and every shared golden
 * case on the cpu backend in-process.
 */

import assert from "node:assert/strict";
import "../../backends/registry.ts";
import "../../scripts/golden/all.ts";
import { compareValues, decodeSpecial, loadCases, runGolden } from "../../scripts/golden/runner.ts";

const root = new URL("../../", import.meta.url).pathname;

async function runCli(args: string[]): Promise<{ code: number; out: string }> {
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", `${root}scripts/golden.ts`, ...args],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  return { code: res.code, out: new TextDecoder().decode(res.stdout) };
}

Deno.test("golden CLI: PASS, FAIL, SKIP, expected error, exit code and summary", async () => {
  const dir = await Deno.makeTempDir();
  const cases = [
    {
      id: "t/chol/ok",
      fn: "linalg.cholesky",
      args: { a: [[4, 2], [2, 3]] },
      expected: [[2, 0], [1, 1.4142135623730951]],
      rtol: 1e-5,
      atol: 1e-6,
    },
    {
      id: "t/chol/wrong",
      fn: "linalg.cholesky",
      args: { a: [[4, 2], [2, 3]] },
      expected: [[3, 0], [1, 1.41421356]],
      rtol: 1e-5,
      atol: 1e-6,
    },
    { id: "t/unknown", fn: "ngclearn.utils.nothing.here", args: {}, expected: 1, rtol: 0, atol: 0 },
    {
      id: "t/nan",
      fn: "linalg.cholesky",
      args: { a: [[-1, 0], [0, 1]] },
      expected: [["NaN", "NaN"], ["NaN", "NaN"]],
      rtol: 0,
      atol: 0,
    },
    {
      id: "t/err",
      fn: "numpy.random.RandomState.random_sample",
      args: { seed: 0, size: -1 },
      expected: { error: "RangeError" },
      rtol: 0,
      atol: 0,
    },
  ];
  await Deno.writeTextFile(
    `${dir}/cases.jsonl`,
    cases.map((c) => JSON.stringify(c)).join("\n") + "\n",
  );
  const { code, out } = await runCli(["--backend", "cpu", "--json", `${dir}/r.json`, dir]);
  const lines = out.trim().split("\n");
  assert.equal(code, 1, out);
  assert.ok(lines.includes("PASS t/chol/ok"), out);
  assert.ok(lines.some((l) => l.startsWith("FAIL t/chol/wrong ")), out);
  assert.ok(lines.includes("SKIP t/unknown not registered"), out);
  assert.ok(lines.includes("PASS t/nan"), out);
  assert.ok(lines.some((l) => l.startsWith("PASS t/err")), out);
  assert.equal(lines.at(-1), "3 passed, 1 failed, 1 skipped");
  const json = JSON.parse(await Deno.readTextFile(`${dir}/r.json`));
  assert.equal(json.passed, 3);
  await Deno.remove(dir, { recursive: true });
});

Deno.test("golden compare: tolerances, specials, objects and shapes", () => {
  assert.equal(compareValues([1, 2], [1, 2.000001], 1e-5, 0), null);
  assert.notEqual(compareValues([1, 2], [1, 2.1], 1e-5, 0), null);
  assert.equal(compareValues(decodeSpecial(["NaN", "Infinity"]), [NaN, Infinity], 0, 0), null);
  assert.notEqual(compareValues([Infinity], [-Infinity], 0, 0), null);
  assert.match(compareValues([[1, 2]], [1, 2], 0, 0) ?? "", /shape/);
  assert.match(compareValues({ a: 1 }, { a: 1, b: 2 }, 0, 0) ?? "", /b: missing/);
  assert.equal(compareValues(true, 1, 0, 0), null);
});

Deno.test("golden: every shared case passes (or is unregistered) on cpu", async () => {
  const cases = await loadCases([new URL("../../../shared/golden", import.meta.url).pathname]);
  assert.ok(cases.length > 400);
  const summary = await runGolden(cases, ["cpu"]);
  const bad = summary.results.filter((r) => r.status === "FAIL" || r.status === "ERROR");
  assert.deepEqual(bad, []);
  for (const r of summary.results.filter((r) => r.status === "SKIP")) {
    assert.equal(r.message, "not registered", r.id);
  }
});
