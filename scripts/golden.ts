/**
 * CLI of the golden runner:
 * `deno task golden [--backend NAME] [--json FILE] [DIR...]` (default DIR
 * `../shared/golden`). Prints `PASS|FAIL|ERROR|SKIP id message` per case and
 * backend, then `N passed, N failed, N skipped`; exits 1 if any case failed.
 *
 * @module
 */

import "../backends/registry.ts";
import "./golden/all.ts";
import { backends } from "../core/engine.ts";
import { loadCases, runGolden } from "./golden/runner.ts";

function parseArgs(argv: string[]): { backend?: string; json?: string; dirs: string[] } {
  const out: { backend?: string; json?: string; dirs: string[] } = { dirs: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--backend") out.backend = argv[++i];
    else if (a.startsWith("--backend=")) out.backend = a.slice(10);
    else if (a === "--json") out.json = argv[++i];
    else if (a.startsWith("--json=")) out.json = a.slice(7);
    else if (a === "--help" || a === "-h") {
      console.log("usage: deno task golden [--backend NAME] [--json FILE] [DIR...]");
      Deno.exit(0);
    } else out.dirs.push(a);
  }
  if (out.dirs.length === 0) {
    out.dirs.push(new URL("../../shared/golden", import.meta.url).pathname);
  }
  return out;
}

const opts = parseArgs(Deno.args);
const reports = await backends();
let names: string[];
if (opts.backend) {
  names = [opts.backend];
} else {
  names = reports.filter((r) => r.available).map((r) => r.name);
  for (const r of reports) {
    if (!r.available) console.log(`# backend ${r.name} unavailable: ${r.reason}`);
  }
}
const cases = await loadCases(opts.dirs);
const tag = names.length > 1;
const summary = await runGolden(cases, names, (r) => {
  const id = tag ? `${r.id} [${r.backend}]` : r.id;
  console.log(`${r.status} ${id}${r.message ? " " + r.message : ""}`);
});
if (opts.json) {
  await Deno.writeTextFile(opts.json, JSON.stringify(summary, null, 1));
}
console.log(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped`);
Deno.exit(summary.failed > 0 ? 1 : 0);
