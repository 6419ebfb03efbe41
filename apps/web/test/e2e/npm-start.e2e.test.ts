// `npm start` from the outside, as a person runs it: scripts/start.ts as a child process on the embedded default
// (a temporary data folder), on the fixed ports it prints. A port already taken is named before anything starts;
// the four services answer their health; Ctrl-C stops each cleanly; a second start keeps the data.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../../sso/test/helpers.ts";
import { webDir } from "../../launch.ts";

const repoRoot = join(webDir, "..", "..");
const ports = { sso: 3001, api: 8000, mcp: 8001, web: 3000 };
const healthUrls = [
  `http://localhost:${ports.sso}/api/health`,
  `http://localhost:${ports.api}/health/ready`,
  `http://localhost:${ports.mcp}/health`,
  `http://localhost:${ports.web}/api/health`,
];
const dataDir = mkdtempSync(join(tmpdir(), "taskflow-npm-start-"));

interface Launched {
  child: ChildProcess;
  output(): string;
  waitFor(text: string, timeoutMs: number): Promise<void>;
  exited: Promise<number | null>;
}

function launch(): Launched {
  const child: ChildProcess = spawn(process.execPath, ["scripts/start.ts"], {
    cwd: repoRoot,
    // Its own process group, so a failed test can take the dashboard's `next start` down with it.
    detached: true,
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NODE_ENV: "development",
      TASKFLOW_DATA_DIR: dataDir,
    },
  });
  let output = "";
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) =>
    child.once("exit", (code: number | null) => resolve(code)),
  );
  return {
    child,
    output: () => output,
    exited,
    async waitFor(text, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm start did not print "${text}" in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 200));
      }
    },
  };
}

function holdPort(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, "0.0.0.0", () => resolve(server));
  });
}

/** The seeded sign-in that npm start prints. */
function seededSignIn(output: string): { email: string; password: string } {
  const match = /Seeded sign-in: (\S+) \/ (\S+)/.exec(output);
  if (!match?.[1] || !match[2]) throw new Error(`no seeded sign-in printed:\n${output}`);
  return { email: match[1], password: match[2] };
}

async function stopWithCtrlC(run: Launched): Promise<number | null> {
  run.child.kill("SIGINT");
  return run.exited;
}

beforeAll(async () => {
  // Not a skip: this test needs npm start's own ports, and says which one is taken.
  for (const port of Object.values(ports)) {
    const server = await holdPort(port).catch(() => {
      throw new Error(`port ${port} is taken: stop what holds it (a running npm start?) to run this test`);
    });
    await new Promise((r) => server.close(r));
  }
});

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe("npm start", () => {
  it("names a port already in use, and which service needs it, before starting anything", async () => {
    const blocker = await holdPort(ports.mcp);
    try {
      const run = launch();
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(`port ${ports.mcp} is already in use, and mcp-server needs it`);
      expect(run.output()).toContain("lsof -i :8001");
      expect(run.output()).not.toContain("[1/4]");
    } finally {
      await new Promise((r) => blocker.close(r));
    }
  }, 60_000);

  it("starts the four services, stops them on Ctrl-C, and keeps the data for the next start", async () => {
    const first = launch();
    let second: Launched | undefined;
    try {
      await first.waitFor("TaskFlow is running", 420_000);
      for (const url of ["http://localhost:3000", "http://localhost:3001", "http://localhost:8000", "/mcp"]) {
        expect(first.output()).toContain(url);
      }
      expect(first.output()).toContain("/dev/mailbox");
      for (const url of healthUrls) expect((await fetch(url)).status, url).toBe(200);

      const credentials = seededSignIn(first.output());
      const person = new Browser();
      const sso = `http://localhost:${ports.sso}`;
      expect((await person.submit(`${sso}/sign-in`, credentials)).status).toBe(303);
      const created = await person.submit(`${sso}/account/organizations`, { name: "Kept Across Restarts" });
      expect(decodeURIComponent(created.headers.get("location") ?? "")).toContain("Organization created");

      expect(await stopWithCtrlC(first)).toBe(0);
      for (const name of ["web-dashboard", "mcp-server", "taskflow-api", "sso-platform"]) {
        expect(first.output()).toContain(`${name} stopped`);
      }
      for (const url of healthUrls) await expect(fetch(url)).rejects.toThrow();

      second = launch();
      await second.waitFor("TaskFlow is running", 240_000);
      expect(second.output()).not.toContain("building the dashboard");
      expect(seededSignIn(second.output())).toEqual(credentials);
      const again = new Browser();
      expect((await again.submit(`${sso}/sign-in`, credentials)).status).toBe(303);
      expect(await (await again.fetch(`${sso}/account`)).text()).toContain("Kept Across Restarts");
      expect(await stopWithCtrlC(second)).toBe(0);
    } finally {
      for (const run of [first, second]) {
        if (run?.child.pid && run.child.exitCode === null) {
          process.kill(-run.child.pid, "SIGKILL");
          await run.exited;
        }
      }
    }
  }, 900_000);
});
