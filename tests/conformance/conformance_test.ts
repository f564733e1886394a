/**
 * The conformance suite: every primitive case of `cases.ts`, run on every
 * registered backend and compared with the cpu backend. A backend that is
 * unavailable here is skipped (ignored) unless `NGC_REQUIRE_BACKENDS` names it,
 * in which case its tests fail with the reason.
 */

import "../../backends/registry.ts";
import { backendByName, backends } from "../../core/engine.ts";
import type { Backend, TensorInfo } from "../../backends/backend.ts";
import { assertAllClose } from "../helpers.ts";
import { conformanceCases } from "./cases.ts";

const required = (Deno.env.get("NGC_REQUIRE_BACKENDS") ?? "").split(",").map((s) => s.trim())
  .filter(Boolean);
const reports = await backends();
const cpu = await backendByName("cpu");

async function readAll(b: Backend, outs: TensorInfo[]): Promise<number[][]> {
  const res: number[][] = [];
  for (const o of outs) {
    res.push(Array.from(await b.read(o)));
    b.dispose(o);
  }
  return res;
}

Deno.test("conformance: required backends are available", () => {
  for (const name of required) {
    const r = reports.find((x) => x.name === name);
    if (!r) throw new Error(`NGC_REQUIRE_BACKENDS names unknown backend "${name}"`);
    if (!r.available) throw new Error(`required backend ${name} is unavailable: ${r.reason}`);
  }
});

for (const report of reports) {
  const available = report.available;
  for (const c of conformanceCases()) {
    Deno.test({
      name: `conformance [${report.name}] ${c.name}`,
      ignore: !available && !required.includes(report.name),
      sanitizeResources: false,
      sanitizeOps: false,
      fn: async () => {
        if (!available) throw new Error(`backend ${report.name} unavailable: ${report.reason}`);
        const b = await backendByName(report.name);
        if (c.needs?.some((d) => d === "float64" && !b.capabilities.float64)) return;
        const want = await readAll(cpu, c.run(cpu));
        const outs = c.run(b);
        const shapes = outs.map((o) => o.shape.join("x"));
        const dtypes = outs.map((o) => o.dtype);
        const refOuts = c.run(cpu);
        const refShapes = refOuts.map((o) => o.shape.join("x"));
        const refDtypes = refOuts.map((o) => o.dtype);
        await readAll(cpu, refOuts);
        if (shapes.join() !== refShapes.join()) {
          throw new Error(`shapes ${shapes} != cpu ${refShapes}`);
        }
        if (dtypes.join() !== refDtypes.join()) {
          throw new Error(`dtypes ${dtypes} != cpu ${refDtypes}`);
        }
        const got = await readAll(b, outs);
        for (let i = 0; i < got.length; i++) {
          assertAllClose(got[i], want[i], {
            rtol: c.rtol ?? 0,
            atol: c.atol ?? 0,
            msg: `${c.name} output ${i}`,
          });
        }
      },
    });
  }
}
