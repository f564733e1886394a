/**
 * webgpu vs cpu: threefry2x32 bit-exact (per-counter keys and one shared
 * key), and JAX's known answer for the zero key.
 */

import assert from "node:assert/strict";
import { both, Checks, cpu, free, gpuTest } from "./harness.ts";

gpuTest("threefry2x32 is bit-exact with cpu and JAX", async (g) => {
  const n = 1000;
  const k0 = both(g, Array.from({ length: n }, (_, i) => (i * 2654435761) >>> 0), [n], "uint32");
  const k1 = both(g, Array.from({ length: n }, (_, i) => (i * 40503 + 7) >>> 0), [n], "uint32");
  const x0 = both(g, Array.from({ length: n }, (_, i) => (0xffffffff - i) >>> 0), [n], "uint32");
  const x1 = both(g, Array.from({ length: n }, (_, i) => i), [n], "uint32");
  const key0 = both(g, [0], [1], "uint32");
  const key1 = both(g, [42], [1], "uint32");
  const checks = new Checks(g);
  const [a0, a1] = g.threefry2x32(k0.g, k1.g, x0.g, x1.g);
  const [b0, b1] = cpu.threefry2x32(k0.c, k1.c, x0.c, x1.c);
  checks.add(a0, b0, "y0");
  checks.add(a1, b1, "y1");
  const [c0, c1] = g.threefry2x32(key0.g, key1.g, x0.g, x1.g);
  const [d0, d1] = cpu.threefry2x32(key0.c, key1.c, x0.c, x1.c);
  checks.add(c0, d0, "shared key y0");
  checks.add(c1, d1, "shared key y1");
  await checks.run();
  const [z0, z1] = g.threefry2x32(key0.g, key0.g, key0.g, key0.g);
  assert.deepEqual([...(await g.read(z0)), ...(await g.read(z1))], [1797259609, 2579123966]);
  g.dispose(z0);
  g.dispose(z1);
  assert.throws(() => g.threefry2x32(k0.g, k1.g, x0.g, key0.g), TypeError);
  free(g, k0, k1, x0, x1, key0, key1);
});
