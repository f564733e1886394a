/**
 * `deno task check`: formatting, lint, type check, doc lint of every export,
 * and a publish dry run. Prints each step and exits 1 if any failed.
 *
 * @module
 */

const config = JSON.parse(await Deno.readTextFile(new URL("../deno.json", import.meta.url)));
const exportPaths: string[] = Object.values(config.exports as Record<string, string>);

const steps: [string, string[]][] = [
  ["fmt", ["fmt", "--check"]],
  ["lint", ["lint"]],
  ["check", ["check", "."]],
  ["doc --lint", ["doc", "--lint", ...exportPaths]],
  ["publish --dry-run", ["publish", "--dry-run", "--allow-dirty"]],
  ["simd kernels up to date", ["run", "-A", "scripts/build_simd.ts", "--check"]],
  ["simd gemm up to date", ["run", "-A", "scripts/build_simd_gemm.ts", "--check"]],
];

let failed = 0;
for (const [name, args] of steps) {
  const t0 = performance.now();
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: new URL("..", import.meta.url),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const secs = ((performance.now() - t0) / 1000).toFixed(1);
  if (out.success) {
    console.log(`ok   ${name} (${secs}s)`);
  } else {
    failed++;
    console.log(`FAIL ${name} (${secs}s)`);
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    console.log(text.split("\n").slice(-60).join("\n"));
  }
}
console.log(`${steps.length - failed} passed, ${failed} failed`);
Deno.exit(failed ? 1 : 0);
