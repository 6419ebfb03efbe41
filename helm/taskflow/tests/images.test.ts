// The four images, for real: built by scripts/images (podman, from Debian and the npm registry; layers cached, so a
// run after an unchanged build takes seconds), then run the way the chart runs them (chart-run.ts: each Deployment
// and StatefulSet a pod on a private network; chart-pods.ts: each container with its image, command, resolved
// environment, UID/GID 10001 and fsGroup, read-only root with only its volumes writable, all capabilities dropped,
// no-new-privileges, memory and CPU limits). Every probe must answer, the SSO's mail must arrive, the helm test pods
// must pass, and nothing may crash, log an error, write outside its volumes or leave a secret in one. With the
// default, dev and prod values (each renders a different environment), and once more with the default values and a
// writable root, where `podman diff` shows what a service would write (a read-only root makes that write fail, and a
// service may swallow the error). The Dockerfiles' structure and the images' dependency closures are checked first,
// without a container engine. Each image's size is printed.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LockPackage, productionClosure } from "../../../scripts/images/deploy-workspace.ts";
import { localImage, renderedPods } from "./chart-pods.ts";
import { type Place, runChart } from "./chart-run.ts";
import { type ServiceKey, services } from "./contract.ts";
import { cmd, instructions, readDockerfile, runCommands } from "./dockerfile.ts";
import { parseObjects, repoRoot, template, valueSets } from "./helm.ts";
import { createNetwork, missingPrerequisites, podman, podmanEnv, removeAll, runAsync } from "./podman.ts";

const keys: ServiceKey[] = ["sso", "api", "mcp", "web"];
const dockerfile = (svc: ServiceKey) => join(repoRoot, services[svc].workspace, "Dockerfile");

describe("Dockerfiles", () => {
  it.each(keys)("%s: node slim pinned, four stages, non-root runtime without RUN or HEALTHCHECK", (svc) => {
    const s = services[svc];
    const stages = readDockerfile(dockerfile(svc));
    expect([...stages.keys()]).toEqual(["manifests", "deps", "build", "runtime"]);
    const text = readFileSync(dockerfile(svc), "utf8");
    expect(text).toMatch(/^ARG NODE_IMAGE=node:24\.\d+\.\d+-slim$/m);
    expect(text).not.toMatch(/^HEALTHCHECK/m);
    expect(instructions(stages, "runtime", "USER")).toEqual(["node"]);
    expect(runCommands(stages, "runtime")).toEqual([]);
    expect(instructions(stages, "runtime", "EXPOSE")).toEqual([String(s.port)]);
    if (svc === "web") {
      expect(instructions(stages, "runtime", "COPY")).toEqual([
        "--from=build /app/apps/web/.next/standalone ./",
      ]);
      // The standalone server with the node flags `npm start` gives `next start` (issue 14's memory flags).
      const start = (
        JSON.parse(readFileSync(join(repoRoot, s.workspace, "package.json"), "utf8")) as {
          scripts: { start: string };
        }
      ).scripts.start.split(/\s+/);
      const nodeFlags = start.slice(
        1,
        start.findIndex((word) => word.endsWith("next/dist/bin/next")),
      );
      expect(nodeFlags).toContain("--max-old-space-size=256");
      expect(cmd(stages, "runtime")).toEqual(["node", ...nodeFlags, "apps/web/server.js"]);
    } else {
      expect(instructions(stages, "runtime", "COPY")).toEqual(["--from=build /deploy ./"]);
      // The API runs its bundle (apps/api/scripts/build-bundle.ts: issue 14's idle memory), built in the image.
      const bundled = svc === "api";
      const deploy = `node scripts/images/deploy-workspace.ts ${s.workspace} /deploy`;
      expect(runCommands(stages, "build")).toEqual(
        bundled ? ["node apps/api/scripts/build-bundle.ts", deploy] : [deploy],
      );
      // The image starts the service as `npm start` does, node flags included (issue 14's memory flags).
      const start = (
        JSON.parse(readFileSync(join(repoRoot, s.workspace, "package.json"), "utf8")) as {
          scripts: { start: string };
        }
      ).scripts.start.split(/\s+/);
      const entry = bundled ? "dist/server.mjs" : "src/server.ts";
      expect(start.at(-1)).toBe(entry);
      expect(cmd(stages, "runtime")).toEqual([...start.slice(0, -1), `${s.workspace}/${entry}`]);
      expect(cmd(stages, "runtime")).toContain("@taskflow/service-env/node-version");
    }
  });

  it("share their manifests and dependency stages word for word, so one npm ci serves the four images", () => {
    const shared = (svc: ServiceKey) => {
      const stages = readDockerfile(dockerfile(svc));
      return [stages.get("manifests"), stages.get("deps")];
    };
    for (const svc of keys) expect(shared(svc), svc).toEqual(shared("api"));
    expect(runCommands(readDockerfile(dockerfile("api")), "deps")).toEqual(["npm ci --no-audit --no-fund"]);
  });

  it.each(["sso", "api", "mcp"] as ServiceKey[])(
    "%s: what its image carries from node_modules is its production closure: no dev tool, no optional peer",
    (svc) => {
      const lock = JSON.parse(readFileSync(join(repoRoot, "package-lock.json"), "utf8")) as {
        packages: Record<string, LockPackage>;
      };
      const closure = productionClosure(lock.packages, services[svc].workspace);
      const names = closure.map((location) => location.slice(location.lastIndexOf("node_modules/") + 13));
      // better-auth lists these as optional peers; apps/web (next, react) and the root (vitest, drizzle-kit,
      // typescript) depend on them, which is how `npm ci --omit=dev -w apps/sso` put them into the SSO's image
      for (const unwanted of [
        "next",
        "@next/env",
        "react",
        "react-dom",
        "vitest",
        "drizzle-kit",
        "typescript",
      ]) {
        expect(names, unwanted).not.toContain(unwanted);
      }
      expect(closure.filter((location) => lock.packages[location]?.dev)).toEqual([]);
      expect(closure).toContain(services[svc].workspace);
      expect(names).toContain("@taskflow/service-env");
      if (svc === "sso") expect(names).toEqual(expect.arrayContaining(["better-auth", "pg", "nodemailer"]));
    },
  );
});

// ------------------------------------------------------------------------------------------------------------------
// The real images

describe("images run as the chart runs them (podman, read-only root, UID 10001, no capabilities)", () => {
  const prerequisites = missingPrerequisites();
  const work = mkdtempSync(join(tmpdir(), "taskflow-images-"));
  const place: Place = { network: "", nextAddress: () => "", volumesDir: work, image: localImage };
  // The app images are built under a tag of this run's own, and every image is run by the ID it had then: a build
  // elsewhere (the cluster suite, another engineer) may move a shared tag such as the chart's appVersion meanwhile.
  const tag = `images-test-${process.pid}`;
  const appImage = (svc: ServiceKey) => localImage(`${services[svc].image}:${tag}`);
  let buildOutput = "";

  /** Runs a script of scripts/images; its output (phase times, sizes) goes to the test output. */
  async function build(script: string, args: string[] = []): Promise<void> {
    const started = Date.now();
    const result = await runAsync([join(repoRoot, "scripts/images", script), ...args], {
      command: "bash",
      env: { ...process.env, ...podmanEnv() },
    });
    buildOutput += `${result.stdout}${result.stderr}`;
    process.stdout.write(
      `${result.stdout}[images] ${script}: ${Math.round((Date.now() - started) / 1000)}s\n`,
    );
    if (result.status !== 0) {
      throw new Error(`scripts/images/${script} failed:\n${result.stdout}\n${result.stderr}`);
    }
  }

  beforeAll(async () => {
    if (prerequisites) return;
    await build("build-base.sh");
    await build("build-apps.sh", [tag]);
    const id = (image: string) => podman(["image", "inspect", "--format", "{{.Id}}", image]);
    // every image the chart names: its own four by the tag built above, the others (postgres, busybox) as they are
    const pinned = new Map<string, string>();
    const ownImage = new Map(keys.map((svc) => [services[svc].image, appImage(svc)]));
    for (const pod of renderedPods(parseObjects(template([])))) {
      for (const container of [...pod.initContainers, ...pod.containers]) {
        const local = localImage(container.image);
        const own = ownImage.get(container.image.replace(/:[^:/]+$/, ""));
        if (!pinned.has(local)) pinned.set(local, await id(own ?? local));
      }
    }
    place.image = (reference) => {
      const image = pinned.get(localImage(reference));
      if (!image) throw new Error(`the chart names ${reference}, which this test did not build`);
      return image;
    };
    const network = await createNetwork(`taskflow-images-${process.pid}`);
    let host = 10;
    place.network = network.name;
    place.nextAddress = () => network.address(host++);
  }, 3_600_000);

  afterAll(async () => {
    if (place.network) await removeAll([], [place.network]);
    if (!prerequisites) for (const svc of keys) await runAsync(["untag", appImage(svc), appImage(svc)]);
    rmSync(work, { recursive: true, force: true });
  }, 120_000);

  function requirePrerequisites(): void {
    if (prerequisites) throw new Error(`cannot run the images here: ${prerequisites}`);
  }

  it("are built, and each image's size is printed; the app images carry only what they run", async () => {
    requirePrerequisites();
    const sizes: string[] = [];
    const size = async (image: string) =>
      Number(await podman(["image", "inspect", "--format", "{{.Size}}", image]));
    const node = localImage(`node:${/node:(\S+)/.exec(readFileSync(dockerfile("api"), "utf8"))?.[1]}`);
    const nodeSize = await size(node);
    sizes.push(`${node.padEnd(48)} ${Math.round(nodeSize / 1e6)} MB (base)`);
    for (const svc of keys) {
      const image = appImage(svc);
      const bytes = await size(image);
      sizes.push(
        `${image.padEnd(48)} ${Math.round(bytes / 1e6)} MB (+${Math.round((bytes - nodeSize) / 1e6)} MB)`,
      );
      // what each service adds to Node: its code and production closure (the SSO once added 450 MB of Next.js)
      expect(bytes - nodeSize, `${image} adds to ${node}`).toBeLessThan(80e6);
    }
    process.stdout.write(`\nimage sizes\n${sizes.map((line) => `  ${line}`).join("\n")}\n`);
    const sso = appImage("sso");
    const listing = (await podman(["run", "--rm", "--network", "none", sso, "ls", "node_modules"])).split(
      "\n",
    );
    expect(listing).not.toContain("next");
    expect(listing).not.toContain("@next");
    expect(buildOutput).toContain("total (build-apps.sh)");
  }, 120_000);

  // The three value sets render different environments (NODE_ENV, LOG_LEVEL, URLs, SMTP, TRUST_PROXY...); the
  // writable run shows in `podman diff` what a service would write where a read-only root makes the write fail.
  const runs = [
    ["default", "read-only root", true],
    ["dev", "read-only root", true],
    ["prod", "read-only root", true],
    ["default", "writable root", false],
  ] as const;
  // Two runs at a time: each starts two PostgreSQL servers and four Node services on two shared CPUs.
  const slots = limit(2);
  it.concurrent.each(runs)(
    "%s values, %s: every probe answers, the mail is delivered, helm test passes; nothing crashes, logs an error, writes outside the volumes or leaves a secret there",
    async (set, _root, readOnlyRoot) => {
      requirePrerequisites();
      const objects = parseObjects(template(valueSets[set] ?? []));
      const label = `${set}-${readOnlyRoot ? "ro" : "rw"}`;
      const report = await slots(() => runChart(label, objects, place, readOnlyRoot));
      process.stdout.write(`\n${set} values, ${_root}\n${report.map((line) => `  ${line}`).join("\n")}\n`);
    },
    900_000,
  );
});

/** Runs at most `size` of the functions given to it at once, the others in the order given. */
function limit(size: number) {
  let running = 0;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    // a finishing task hands its slot straight to the next one waiting
    if (running < size) running += 1;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running -= 1;
    }
  };
}
