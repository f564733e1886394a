/**
 * `deno task build:npm`: emit the npm package into `npm/` with `tsc` from npm:
 * ESM JavaScript + `.d.ts`, a package.json (dependencies taken from the
 * `npm:` imports in deno.json that runtime code uses), the README, and a Node
 * smoke test under `npm/test/` (`node --test npm/test/`).
 *
 * Sources import each other with `.ts` extensions; tsc's
 * `rewriteRelativeImportExtensions` turns them into `.js`. Deno's own global
 * types (for `Deno.dlopen`, WebGPU) come from `deno types`, so the code
 * type-checks exactly as under Deno; at run time those globals are only
 * touched when that backend is requested.
 *
 * @module
 */

const root = new URL("..", import.meta.url).pathname;
const out = `${root}npm`;
const stage = `${out}/.stage`;
const config = JSON.parse(await Deno.readTextFile(`${root}deno.json`));

/** Folders with runtime code (tests, benches and scripts stay out of the package). */
const SOURCE_DIRS = ["core", "backends", "utils", "analysis", "viz"];
/** npm packages runtime code may import by bare name (mapped in deno.json). */
const RUNTIME_DEPS = ["fflate"];

async function run(cmd: string, args: string[], cwd: string): Promise<void> {
  const res = await new Deno.Command(cmd, { args, cwd, stdout: "inherit", stderr: "inherit" })
    .output();
  if (!res.success) {
    throw new Error(`build:npm: ${cmd} ${args.join(" ")} failed (exit ${res.code})`);
  }
}

async function copyTree(from: string, to: string): Promise<void> {
  await Deno.mkdir(to, { recursive: true });
  for await (const e of Deno.readDir(from)) {
    if (e.isDirectory) await copyTree(`${from}/${e.name}`, `${to}/${e.name}`);
    else if (e.isFile && e.name.endsWith(".ts") && !e.name.endsWith("_test.ts")) {
      await Deno.copyFile(`${from}/${e.name}`, `${to}/${e.name}`);
    }
  }
}

function npmVersion(spec: string): [string, string] {
  // "npm:fflate@0.8.2" → ["fflate", "0.8.2"]; scoped names keep their "@".
  const body = spec.replace(/^npm:/, "");
  const at = body.lastIndexOf("@");
  return [body.slice(0, at), body.slice(at + 1)];
}

await Deno.remove(out, { recursive: true }).catch(() => {});
await Deno.mkdir(stage, { recursive: true });
for (const dir of SOURCE_DIRS) {
  try {
    await copyTree(`${root}${dir}`, `${stage}/src/${dir}`);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
}
await Deno.copyFile(`${root}mod.ts`, `${stage}/src/mod.ts`);

// Deno's global types, so `Deno.*` and WebGPU names type-check under tsc.
const types = await new Deno.Command(Deno.execPath(), { args: ["types"], stdout: "piped" })
  .output();
await Deno.writeFile(`${stage}/deno.d.ts`, types.stdout);

const dependencies: Record<string, string> = {};
for (const name of RUNTIME_DEPS) {
  const spec = config.imports?.[name];
  if (!spec) continue;
  const [pkg, version] = npmVersion(spec);
  dependencies[pkg] = version;
}

await Deno.writeTextFile(
  `${stage}/tsconfig.json`,
  JSON.stringify(
    {
      compilerOptions: {
        target: "ES2022",
        module: "NodeNext",
        moduleResolution: "NodeNext",
        lib: ["ES2022"],
        types: [],
        noLib: false,
        declaration: true,
        outDir: "../esm",
        rootDir: "src",
        strict: true,
        skipLibCheck: true,
        allowImportingTsExtensions: true,
        rewriteRelativeImportExtensions: true,
        noEmitOnError: true,
      },
      include: ["src/**/*.ts", "deno.d.ts"],
    },
    null,
    2,
  ),
);
await Deno.writeTextFile(
  `${stage}/package.json`,
  JSON.stringify({ private: true, type: "module", dependencies }, null, 2),
);
if (Object.keys(dependencies).length > 0) {
  await run("npm", ["install", "--no-audit", "--no-fund", "--silent"], stage);
}
await run("npx", ["-y", "-p", "typescript@5.9", "tsc", "-p", "tsconfig.json"], stage);

const pkg = {
  name: "ngc-utils",
  version: config.version,
  description:
    "The utilities of ngc-learn (metrics, activations, surrogates, initializers, ODE integrators, densities, optimizers, filters, probes) on cpu, WebGPU and OpenBLAS backends.",
  license: config.license,
  type: "module",
  main: "./esm/mod.js",
  types: "./esm/mod.d.ts",
  exports: { ".": { types: "./esm/mod.d.ts", import: "./esm/mod.js" } },
  engines: { node: ">=20" },
  dependencies,
  files: ["esm/", "README.md"],
};
await Deno.writeTextFile(`${out}/package.json`, JSON.stringify(pkg, null, 2) + "\n");
await Deno.copyFile(`${root}README.md`, `${out}/README.md`);
if (Object.keys(dependencies).length > 0) {
  await Deno.rename(`${stage}/node_modules`, `${out}/node_modules`);
}
await Deno.mkdir(`${out}/test`, { recursive: true });
await Deno.copyFile(`${root}tests/npm/smoke.test.mjs`, `${out}/test/smoke.test.mjs`);
await Deno.remove(stage, { recursive: true });
console.log(`build:npm: wrote ${out} (ngc-utils@${config.version})`);
