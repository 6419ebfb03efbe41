// Global setup of the api and api-postgres projects: the API's bundle, which the tests that start the API as its own
// process run (support/api-process.ts), built once per test run into a folder of its own and removed afterwards.
// Its own folder: the PGlite and PostgreSQL passes run side by side, and neither may rebuild what the other runs.
// Under node_modules, so that the bundle resolves the packages it leaves outside (PGlite, swagger-ui-dist) as it
// does from dist/.
import { randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import type { TestProject } from "vitest/node";
import { buildApiBundle } from "../../scripts/build-bundle.ts";

declare module "vitest" {
  export interface ProvidedContext {
    /** The bundle's entry (`server.mjs`), as `node` runs it in the image. */
    apiBundle: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const outDir = new URL(
    `../../../../node_modules/.cache/taskflow-api-bundle-${randomUUID()}`,
    import.meta.url,
  ).pathname;
  project.provide("apiBundle", await buildApiBundle({ outDir }));
  return () => rmSync(outDir, { recursive: true, force: true });
}
