// `npm start` from the outside, as a person runs it: scripts/start.ts as a child process on the embedded default
// (a temporary data folder), on the fixed ports it prints, from a fresh copy of this checkout (no dashboard build:
// a first start). A port already taken is named before anything starts; Ctrl-C during the build stops the build;
// a first start says up front that it builds the dashboard and how long that takes, shows the build's progress,
// and serves the SSO, the API and the MCP server (each address printed as it answers) while the dashboard builds;
// nothing answers on the machine's network addresses; Ctrl-C stops each service cleanly; a second start keeps the
// data and builds nothing.
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { connect, createServer, type Server } from "node:net";
import { networkInterfaces, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser } from "../../../sso/test/helpers.ts";
import { webDir } from "../../launch.ts";
import { type FreshCheckout, freshCheckout } from "./fresh-checkout.ts";
import { killIfRunning, type Launched, launchNpmStart, stopWithCtrlC } from "./npm-start-process.ts";

const repoRoot = join(webDir, "..", "..");
const ports = { sso: 3001, api: 8000, mcp: 8001, web: 3000 };
const healthUrls = [
  `http://localhost:${ports.sso}/api/health`,
  `http://localhost:${ports.api}/health/ready`,
  `http://localhost:${ports.mcp}/health`,
  `http://localhost:${ports.web}/api/health`,
];
const dataDir = mkdtempSync(join(tmpdir(), "taskflow-npm-start-"));
let checkout: FreshCheckout;

const launch = (data = dataDir): Launched => launchNpmStart(checkout.root, data);

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

/** This machine's addresses other than loopback (IPv6 link-local ones need a zone: left out). */
function networkAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && !a.internal && !a.address.startsWith("fe80:"))
    .map((a) => (a as { address: string }).address);
}

/** Whether anything accepts a TCP connection at host:port (refused, or silence for 2 s, is "no"). */
function answers(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 2000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", () => resolve(false));
  });
}

/** Processes whose working folder is inside `folder` (the dashboard's `next build` of the checkout). */
function processesIn(folder: string): string[] {
  return readdirSync("/proc")
    .filter((pid) => /^\d+$/.test(pid))
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`).startsWith(folder);
      } catch {
        return false;
      }
    });
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

beforeAll(() => {
  checkout = freshCheckout(repoRoot);
});

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
  checkout?.remove();
});

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

  it("stops the dashboard's build on Ctrl-C, leaving no build process and no build lock", async () => {
    const aborted = mkdtempSync(join(tmpdir(), "taskflow-npm-start-aborted-"));
    const run = launch(aborted);
    try {
      await run.waitFor("✓ sso-platform ready", 300_000);
      expect(run.output()).toContain("building the dashboard");
      expect(await stopWithCtrlC(run)).toBe(0);
      expect(run.output()).toContain("sso-platform stopped");
      const webFolder = join(checkout.root, "apps", "web");
      const deadline = Date.now() + 10_000;
      while (processesIn(webFolder).length > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 250));
      expect(processesIn(webFolder)).toEqual([]);
      expect(existsSync(join(webFolder, ".next-build.lock"))).toBe(false);
      expect(existsSync(join(webFolder, ".next", "BUILD_ID"))).toBe(false);
    } finally {
      await killIfRunning(run);
      rmSync(aborted, { recursive: true, force: true });
    }
  }, 360_000);

  it("a first start serves the SSO, API and MCP server while the dashboard builds; a second keeps the data", async () => {
    const first = launch();
    let second: Launched | undefined;
    try {
      // Up front: that the dashboard is built now, and about how long that takes.
      await first.waitFor("[1/4]", 60_000);
      expect(first.output()).toMatch(/\[0\/4\] web-dashboard: building the dashboard .*: about \d+:\d\d min/);

      // The other three, each printed as it answers, and usable before the dashboard exists.
      await first.waitFor("✓ mcp-server ready", 420_000);
      const early = first.output();
      expect(early).not.toContain("[4/4]");
      const order = [
        "✓ sso-platform ready: http://localhost:3001",
        "✓ taskflow-api ready: http://localhost:8000",
        "✓ mcp-server ready: http://localhost:8001/mcp",
      ].map((line) => early.indexOf(line));
      expect(
        order.every((at, i) => at >= 0 && (i === 0 || at > (order[i - 1] ?? 0))),
        early,
      ).toBe(true);
      for (const url of healthUrls.slice(0, 3)) expect((await fetch(url)).status, url).toBe(200);
      await expect(fetch(healthUrls[3] as string)).rejects.toThrow();
      const credentials = seededSignIn(early);
      const person = new Browser();
      const sso = `http://localhost:${ports.sso}`;
      expect((await person.submit(`${sso}/sign-in`, credentials)).status).toBe(303);
      const created = await person.submit(`${sso}/account/organizations`, { name: "Kept Across Restarts" });
      expect(decodeURIComponent(created.headers.get("location") ?? "")).toContain("Organization created");

      await first.waitFor("TaskFlow is running", 900_000);
      // The build's progress, each line with the time spent so far.
      expect(first.output().match(/web-dashboard build \d+:\d\d {2}\S/g)?.length ?? 0).toBeGreaterThan(2);
      expect(first.output()).toContain("✓ web-dashboard ready: http://localhost:3000");
      for (const url of ["http://localhost:3000", "http://localhost:3001", "http://localhost:8000", "/mcp"]) {
        expect(first.output()).toContain(url);
      }
      expect(first.output()).toContain("/dev/mailbox");
      for (const url of healthUrls) expect((await fetch(url)).status, url).toBe(200);

      // This machine only: nothing answers on any of its other addresses.
      const addresses = networkAddresses();
      expect(addresses.length, "this test needs a network address besides loopback").toBeGreaterThan(0);
      for (const host of addresses) {
        for (const port of Object.values(ports))
          expect(await answers(host, port), `${host}:${port}`).toBe(false);
      }
      for (const port of Object.values(ports))
        expect(await answers("127.0.0.1", port), String(port)).toBe(true);
      expect(first.output()).toContain("TaskFlow is running (this machine only: 127.0.0.1)");

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
      await killIfRunning(first);
      await killIfRunning(second);
    }
  }, 1_500_000);
});
