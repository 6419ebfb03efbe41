// The API as it runs in production: src/server.ts and everything it imports bundled by esbuild into dist/.
//   node scripts/build-bundle.ts        (npm run build -w apps/api; npm start -w apps/api runs it first)
// Why a bundle: run from its sources, the API loads ~500 modules through Node's ESM loader, which deserialises
// drizzle-orm's 179 KB package.json once per module it resolves and strips the types of every workspace file;
// startup makes ~320 MB of garbage, which leaves a full young generation and touched malloc arenas behind. The
// bundle starts with ~9 MB of garbage and idles at about 96 MiB RSS instead of 155 (apps/api/README.md, "Memory").
// Kept outside the bundle: PGlite (it loads its WASM and data files next to its own modules) and pg-native (an
// optional native driver); both are loaded only when used. The migrations are copied beside the bundle, where
// packages/core finds them (relative to the module that names them).
import { cpSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const app = fileURLToPath(new URL("..", import.meta.url));
const bundleDir = `${app}dist`;

/**
 * Builds server.mjs, its lazily loaded chunks and migrations/ into `outDir` (dist/ unless told; tests build into
 * folders of their own, under node_modules so that the bundle still resolves its external packages); resolves with
 * the entry's path once everything is written.
 */
export async function buildApiBundle(
  options: { outDir?: string; say?: (line: string) => void } = {},
): Promise<string> {
  const outDir = options.outDir ?? bundleDir;
  const started = performance.now();
  rmSync(outDir, { recursive: true, force: true });
  await build({
    entryPoints: [`${app}src/server.ts`],
    outdir: outDir,
    bundle: true,
    // Code loaded on demand (PGlite's driver, nodemailer) stays in chunks of its own, loaded by import().
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node24",
    outExtension: { ".js": ".mjs" },
    // Beside the entry, not in a subfolder: a chunk that locates files by its own URL (the migrations) then
    // finds them where the entry would.
    chunkNames: "[name]-[hash]",
    external: ["@electric-sql/pglite", "pg-native"],
    // CommonJS dependencies inside an ES module: they call require() and read __dirname.
    banner: {
      js: [
        'import { createRequire as __bundleRequire } from "node:module";',
        'import { fileURLToPath as __bundlePath } from "node:url";',
        "const require = __bundleRequire(import.meta.url);",
        "const __filename = __bundlePath(import.meta.url);",
        'const __dirname = __bundlePath(new URL(".", import.meta.url));',
      ].join("\n"),
    },
    logLevel: "warning",
  });
  cpSync(`${app}../../packages/core/src/db/migrations`, `${outDir}/migrations`, { recursive: true });
  options.say?.(`api: bundled into ${outDir} in ${Math.round(performance.now() - started)} ms`);
  return `${outDir}/server.mjs`;
}

if (import.meta.main) {
  await buildApiBundle({ say: (line) => process.stdout.write(`${line}\n`) });
}
