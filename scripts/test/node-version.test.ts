// Every entry a person or the chart uses, run as they run it under an older Node.js: each stops at once with one
// message naming the version found, the version needed and how to get it, and exits 1 — instead of
// ERR_UNKNOWN_FILE_EXTENSION on a .ts file (Node 18, 20) or whatever breaks first when Node 22 strips the types.
import { spawn } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type OldNode, oldNode, oldNpm } from "./old-node.ts";

const root = join(import.meta.dirname, "..", "..");
const checkFile = join(root, "packages", "service-env", "node-version.cjs");
const dataDir = mkdtempSync(join(tmpdir(), "taskflow-old-node-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  output: string;
}

/**
 * This shell's environment as a person's terminal has it (proxy and CA settings included), without what the
 * test run added: npm's lifecycle variables, Vitest's, NODE_OPTIONS and NODE_ENV.
 */
function personsEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST_DATABASE_URL$)/i.test(name),
    ),
  );
}

/** Runs a command as a person would with `old` first on PATH; a command still running at the deadline is killed. */
function run(
  old: OldNode,
  command: string,
  args: string[],
  cwd: string,
  timeoutMs = 60_000,
): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      // Its own process group: an entry that got past the check (it must not) is stopped with what it started.
      detached: true,
      env: {
        ...personsEnvironment(),
        PATH: `${old.binDir}:${process.env.PATH ?? ""}`,
        TASKFLOW_DATA_DIR: dataDir,
        SCARF_ANALYTICS: "false",
        npm_config_update_notifier: "false",
      },
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

function expectRefused(result: Finished, old: OldNode): void {
  expect(result.output).toContain(`TaskFlow needs Node.js 24 or newer, and this is Node.js ${old.version} (`);
  expect(result.output).toContain("nvm install 24");
  expect(result.output).toContain("https://nodejs.org/en/download");
  expect(result.output).not.toContain("ERR_UNKNOWN_FILE_EXTENSION");
  expect(result.code).toBe(1);
}

const manifest = (path: string) =>
  JSON.parse(readFileSync(join(root, path), "utf8")) as {
    engines?: { node?: string };
    scripts?: Record<string, string>;
  };
const apps = readdirSync(join(root, "apps")).map((name) => `apps/${name}`);

/** Each image's CMD (the chart runs it as it is), from the Dockerfiles. */
function imageCommands(): { image: string; argv: string[] }[] {
  return apps.flatMap((app) => {
    let dockerfile: string;
    try {
      dockerfile = readFileSync(join(root, app, "Dockerfile"), "utf8");
    } catch {
      return [];
    }
    const cmd = /^CMD (\[.*\])\s*$/m.exec(dockerfile)?.[1];
    if (!cmd) throw new Error(`${app}/Dockerfile has no CMD in exec form`);
    return [{ image: app, argv: JSON.parse(cmd) as string[] }];
  });
}

it("requires the Node.js major that the root package.json's engines names", () => {
  const { requiredMajor } = createRequire(import.meta.url)(checkFile) as { requiredMajor: number };
  expect(manifest("package.json").engines?.node).toBe(`>=${requiredMajor}`);
});

describe.each([18, 20, 22] as const)("under Node.js %i", (major) => {
  let old: OldNode;
  beforeAll(() => {
    old = oldNode(major);
  });

  it("the MCP server's stdio bin refuses, as the connect page tells agents to start it", async () => {
    const result = await run(old, "node", ["apps/mcp-server/bin/taskflow-mcp.js"], root);
    expectRefused(result, old);
  });

  it("each image's command refuses (the image's /app is laid out as the repository)", async () => {
    const images = imageCommands().filter(({ argv }) => argv[0] === "node" && !argv.at(-1)?.endsWith(".js"));
    expect(images.map(({ image }) => image).sort()).toEqual(["apps/api", "apps/mcp-server", "apps/sso"]);
    for (const { argv } of images) {
      const [command, ...args] = argv;
      expectRefused(await run(old, command as string, args, root), old);
    }
  });
});

describe("under Node.js 20 and the npm it ships with (10.8.2)", () => {
  let old: OldNode;
  let npm: string;
  beforeAll(() => {
    old = oldNode(20);
    npm = oldNpm();
  });
  const runNpm = (args: string[], cwd = root, timeoutMs?: number) =>
    run(old, old.node, [npm, ...args], cwd, timeoutMs);

  it("npm start refuses before anything starts", async () => {
    const result = await runNpm(["start"]);
    expectRefused(result, old);
    expect(result.output).not.toContain("[1/4]");
  });

  it("npm test refuses before any check runs", async () => {
    const result = await runNpm(["test"]);
    expectRefused(result, old);
    expect(result.output).not.toContain("=== lint");
  });

  it("every workspace's start and migrate script refuses (the chart's init containers run migrate)", async () => {
    // A script runs TypeScript itself, or first through its pre-script (the API's start builds its bundle), maybe
    // by way of `npm run <other script>`.
    const command = (scripts: Record<string, string> | undefined, name: string): string => {
      const text = scripts?.[name] ?? "";
      const other = /^npm run (\S+)$/.exec(text)?.[1];
      return other ? command(scripts, other) : text;
    };
    const runsTypeScript = (scripts: Record<string, string> | undefined, script: string): boolean =>
      command(scripts, script).includes(".ts") || command(scripts, `pre${script}`).includes(".ts");
    const entries = apps.flatMap((app) =>
      ["start", "migrate"]
        .filter((script) => runsTypeScript(manifest(`${app}/package.json`).scripts, script))
        .map((script) => ({ app, script })),
    );
    expect(entries).toContainEqual({ app: "apps/api", script: "start" });
    expect(entries).toContainEqual({ app: "apps/api", script: "migrate" });
    expect(entries).toContainEqual({ app: "apps/sso", script: "migrate" });
    for (const { app, script } of entries) {
      const result = await runNpm(["run", script, "-w", app]);
      expectRefused(result, old);
    }
  });

  it("npm ci refuses (it installs first: npm runs the root's preinstall after the packages are in place)", async () => {
    // A copy of the manifests, so this checkout's node_modules stays as it is: npm ci empties node_modules first.
    const copy = mkdtempSync(join(tmpdir(), "taskflow-npm-ci-"));
    try {
      const files = ["package.json", "package-lock.json", ".npmrc", "packages/service-env/node-version.cjs"];
      for (const folder of ["apps", "packages"]) {
        for (const name of readdirSync(join(root, folder))) files.push(`${folder}/${name}/package.json`);
      }
      for (const file of files) {
        mkdirSync(dirname(join(copy, file)), { recursive: true });
        copyFileSync(join(root, file), join(copy, file));
      }
      const result = await runNpm(["ci", "--no-audit", "--no-fund"], copy, 600_000);
      expectRefused(result, old);
    } finally {
      rmSync(copy, { recursive: true, force: true });
    }
  }, 660_000);
});
