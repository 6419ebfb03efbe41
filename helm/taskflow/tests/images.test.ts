// The images without a container engine (none runs on CI): for each service that exists, stage the build
// context as .dockerignore leaves it, run the Dockerfile's own RUN commands (manifests, `npm ci --omit=dev -w
// apps/<service>`), copy what its runtime stage copies, then start its CMD with the environment the chart gives
// the container (from the rendered dev values; the database swapped for the embedded one, the port for a free
// one) and check the probe paths answer 200. A service that does not exist yet has no such test until it lands (never a skipped one).
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { podSpec, resolveEnv, type ServiceKey, services } from "./contract.ts";
import { cmd, instructions, readDockerfile, runCommands, stageEnv } from "./dockerfile.ts";
import { parseObjects, repoRoot, run, template, valueSets } from "./helm.ts";

const work = mkdtempSync(join(tmpdir(), "taskflow-images-"));
/**
 * The Dockerfiles' RUN commands run with npm's cache in the work folder: they end with `npm cache clean --force`,
 * which must not empty the cache of the machine running the tests.
 */
const buildEnv: NodeJS.ProcessEnv = { ...process.env, npm_config_cache: join(work, "npm-cache") };
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill("SIGTERM");
  rmSync(work, { recursive: true, force: true });
});

/** What `.dockerignore` keeps out of the build context (the same rules, for the paths the Dockerfiles copy). */
const ignored = (rel: string) =>
  /(^|\/)(node_modules|\.next|\.next-build\.lock|\.taskflow|coverage|test-results|playwright-report|test|bench)(\/|$)/.test(
    rel,
  ) ||
  /\.test\.ts$|(^|\/)vitest(\.[\w-]+)?\.config\.ts$|\.tsbuildinfo$|(^|\/)Dockerfile$|(^|\/)\.env(\..*)?$|\.log$/.test(
    rel,
  );

/** Top-level names `.dockerignore` lists without a pattern (`.git`, `helm`, …). */
const ignoredAtTop = new Set(
  readFileSync(join(repoRoot, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#") && !/[*/]/.test(line)),
);

/** The build context `docker build .` would send: the whole repository as `.dockerignore` leaves it. */
function stageContext(dir: string) {
  mkdirSync(dir, { recursive: true });
  for (const top of readdirSync(repoRoot)) {
    if (ignoredAtTop.has(top) || ignored(top)) continue;
    cpSync(join(repoRoot, top), join(dir, top), {
      recursive: true,
      filter: (src) => !ignored(relative(repoRoot, src)),
    });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

async function waitFor(url: string, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    try {
      last = (await fetch(url)).status;
      if (last === 200) return last;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  return last;
}

/** The discovery documents the chart's helm test pods fetch. */
const discovery: Record<ServiceKey, string[]> = {
  sso: ["/.well-known/openid-configuration"],
  api: ["/openapi.json"],
  web: [],
  mcp: ["/.well-known/oauth-protected-resource"],
};

let chartObjectsCache: ReturnType<typeof parseObjects> | undefined;
/** The rendered dev values (lazily: without helm the image tests that need it fail with the install message). */
function chartObjects() {
  chartObjectsCache ??= parseObjects(template(valueSets.dev ?? []));
  return chartObjectsCache;
}

describe.each(["sso", "api", "mcp"] as ServiceKey[])("image of %s", (svc) => {
  const s = services[svc];
  const dockerfile = join(repoRoot, s.workspace, "Dockerfile");
  const pending = existsSync(join(repoRoot, s.workspace, "src", "server.ts"))
    ? ""
    : ` (pending: ${s.workspace}/src/server.ts does not exist yet)`;

  it("has a multi-stage Dockerfile: node slim pinned, production dependencies only, non-root, no HEALTHCHECK", () => {
    const stages = readDockerfile(dockerfile);
    expect([...stages.keys()]).toEqual(["manifests", "deps", "runtime"]);
    const text = readFileSync(dockerfile, "utf8");
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-slim$/m);
    expect(text).not.toMatch(/^HEALTHCHECK/m);
    expect(instructions(stages, "runtime", "USER")).toEqual(["node"]);
    expect(runCommands(stages, "deps").join(" ")).toContain(
      `npm ci --omit=dev -w ${s.workspace} --include-workspace-root=false`,
    );
    expect(cmd(stages, "runtime")).toEqual([
      "node",
      "--require",
      "@taskflow/service-env/node-version",
      `${s.workspace}/src/server.ts`,
    ]);
    expect(instructions(stages, "runtime", "EXPOSE")).toEqual([String(s.port)]);
  });

  if (pending === "")
    it(`runs the Dockerfile's commands and answers its probes with the chart's environment${pending}`, async () => {
      const stages = readDockerfile(dockerfile);
      const context = join(work, `${svc}-context`);
      const app = join(work, `${svc}-app`);
      const manifests = join(work, `${svc}-manifests`);
      stageContext(context);
      // stage "manifests": its RUN, with /manifests moved under the work folder
      for (const command of runCommands(stages, "manifests")) {
        const result = run("sh", ["-c", command.replaceAll("/manifests", manifests)], context, buildEnv);
        expect(result.stderr + result.stdout, command).toBe("");
        expect(result.status).toBe(0);
      }
      // stage "deps": COPY --from=manifests, then its RUN (npm ci --omit=dev -w apps/<service> …)
      cpSync(manifests, app, { recursive: true });
      for (const command of runCommands(stages, "deps")) {
        const result = run("sh", ["-c", command], app, buildEnv);
        expect(result.status, `${command}\n${result.stderr}`).toBe(0);
      }
      // no dev dependency was installed
      for (const dev of ["vitest", "typescript", "drizzle-kit", "@biomejs/biome", "kubernetes-models"]) {
        expect(existsSync(join(app, "node_modules", dev)), dev).toBe(false);
      }
      // stage "runtime": COPY packages ./packages, COPY apps/<service> ./apps/<service>
      const copies = instructions(stages, "runtime", "COPY").filter((c) => !c.startsWith("--from"));
      for (const copy of copies) {
        const [from, to] = copy.split(/\s+/);
        cpSync(join(context, from as string), join(app, to as string), { recursive: true });
      }
      expect(readdirSync(join(app, s.workspace, "src")).length).toBeGreaterThan(0);

      // the chart's environment for this container (dev values), with the database embedded and a free port
      const deployment = chartObjects().find(
        (o) => o.kind === "Deployment" && o.metadata.name === s.deployment,
      );
      const container = deployment ? podSpec(deployment).containers[0] : undefined;
      if (!container) throw new Error(`no ${s.deployment} Deployment`);
      const { env } = resolveEnv(container, chartObjects());
      const port = await freePort();
      const envs = instructions(stages, "runtime", "ENV").join(" ");
      const imageEnv = Object.fromEntries([...envs.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1], m[2]]));
      const childEnv: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        ...imageEnv,
        ...env,
        NODE_ENV: "development",
        HOST: "127.0.0.1",
        PORT: String(port),
        TASKFLOW_DATA_DIR: join(work, `${svc}-data`),
      };
      delete childEnv.DATABASE_URL;
      mkdirSync(childEnv.TASKFLOW_DATA_DIR as string, { recursive: true });
      // the chart's run-migrations init container command, in the image's working directory
      const migrate = podSpec(deployment as never).initContainers?.find((c) => c.name === "run-migrations");
      expect(Boolean(migrate)).toBe(s.migrates);
      if (migrate?.command) {
        const [npm, ...npmArgs] = migrate.command;
        const result = spawnSync(npm as string, npmArgs, { cwd: app, env: childEnv, encoding: "utf8" });
        expect(result.status, `${migrate.command.join(" ")}\n${result.stdout}\n${result.stderr}`).toBe(0);
      }
      if (svc === "mcp") {
        // The MCP server never migrates: in the cluster the API's run-migrations init container has
        // migrated the database they share before the MCP server is ready. Do the same here, with
        // the API's migrate entry from the repository (the MCP image does not carry the API).
        const result = spawnSync(process.execPath, ["apps/api/src/migrate.ts"], {
          cwd: repoRoot,
          env: { PATH: childEnv.PATH, TASKFLOW_DATA_DIR: childEnv.TASKFLOW_DATA_DIR },
          encoding: "utf8",
        });
        expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
      }
      const [bin, ...args] = cmd(stages, "runtime");
      const child = spawn(bin === "node" ? process.execPath : (bin as string), args, {
        cwd: app,
        env: childEnv,
      });
      children.push(child);
      let output = "";
      child.stdout?.on("data", (d) => (output += d));
      child.stderr?.on("data", (d) => (output += d));
      const base = `http://127.0.0.1:${port}`;
      expect(await waitFor(`${base}${s.liveness}`, 120_000), output).toBe(200);
      expect(await waitFor(`${base}${s.readiness}`, 60_000), output).toBe(200);
      for (const path of discovery[svc])
        expect(await waitFor(`${base}${path}`, 10_000), `${path}\n${output}`).toBe(200);
      child.kill("SIGTERM");
    }, 400_000);
});

describe("image of web", () => {
  const s = services.web;
  const dockerfile = join(repoRoot, s.workspace, "Dockerfile");
  const pending = existsSync(join(repoRoot, s.workspace, "package.json"))
    ? ""
    : ` (pending: ${s.workspace} does not exist yet)`;

  it("has a multi-stage Dockerfile: node slim pinned, Next.js standalone output only, non-root, no HEALTHCHECK", () => {
    const stages = readDockerfile(dockerfile);
    expect([...stages.keys()]).toEqual(["manifests", "build", "runtime"]);
    const text = readFileSync(dockerfile, "utf8");
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-slim$/m);
    expect(text).not.toMatch(/^HEALTHCHECK/m);
    expect(instructions(stages, "runtime", "USER")).toEqual(["node"]);
    expect(instructions(stages, "runtime", "COPY")).toEqual([
      "--from=build /app/apps/web/.next/standalone ./",
    ]);
    expect(runCommands(stages, "runtime")).toEqual([]);
    expect(cmd(stages, "runtime")).toEqual(["node", "apps/web/server.js"]);
    expect(instructions(stages, "runtime", "EXPOSE")).toEqual([String(s.port)]);
  });

  if (pending === "")
    it(`runs the Dockerfile's build and the standalone server answers /api/health with the chart's environment${pending}`, async () => {
      const stages = readDockerfile(dockerfile);
      const context = join(work, "web-context");
      const app = join(work, "web-app");
      const manifests = join(work, "web-manifests");
      stageContext(context);
      for (const command of runCommands(stages, "manifests")) {
        expect(run("sh", ["-c", command.replaceAll("/manifests", manifests)], context, buildEnv).status).toBe(
          0,
        );
      }
      cpSync(manifests, app, { recursive: true });
      // stage "build": RUN npm ci …, COPY packages, COPY apps/web, RUN npm run build … (in Dockerfile order)
      const env = { ...buildEnv, ...stageEnv(stages, "build") };
      for (const step of stages.get("build") ?? []) {
        if (step.op === "RUN") {
          const result = run("sh", ["-c", step.args], app, env);
          expect(result.status, `${step.args}\n${result.stdout}\n${result.stderr}`).toBe(0);
        } else if (step.op === "COPY" && !step.args.startsWith("--from")) {
          const [from, to] = step.args.split(/\s+/);
          cpSync(join(context, from as string), join(app, to as string), { recursive: true });
        }
      }
      const standalone = join(app, "apps", "web", ".next", "standalone");
      expect(existsSync(join(standalone, "apps", "web", "server.js"))).toBe(true);
      const deployment = chartObjects().find(
        (o) => o.kind === "Deployment" && o.metadata.name === s.deployment,
      );
      const container = deployment ? podSpec(deployment).containers[0] : undefined;
      if (!container) throw new Error(`no ${s.deployment} Deployment`);
      const port = await freePort();
      const childEnv: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        ...resolveEnv(container, chartObjects()).env,
        HOSTNAME: "127.0.0.1",
        HOST: "127.0.0.1",
        PORT: String(port),
      };
      const child = spawn(process.execPath, ["apps/web/server.js"], { cwd: standalone, env: childEnv });
      children.push(child);
      let output = "";
      child.stdout?.on("data", (d) => (output += d));
      child.stderr?.on("data", (d) => (output += d));
      expect(await waitFor(`http://127.0.0.1:${port}${s.liveness}`, 60_000), output).toBe(200);
      child.kill("SIGTERM");
    }, 600_000);
});
