import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAuthProxy } from "./support/auth-proxy.ts";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

const suiteOf = (name: string) =>
  join(dirname(createRequire(import.meta.url).resolve(`${name}/package.json`)), "dist/index.js");

/**
 * The suite for each protocol era, each with its committed baseline. 2025: the released suite
 * (@modelcontextprotocol/conformance 0.1.16, its active server scenarios). 2026-07-28: the suite's 0.2.0 line
 * (installed as `mcp-conformance-2026`), exactly the scenarios that revision requires.
 */
const eraSuites = [
  {
    era: "2025-11-25",
    suite: suiteOf("@modelcontextprotocol/conformance"),
    args: [],
    baseline: new URL("./conformance/baseline.yml", import.meta.url).pathname,
  },
  {
    era: "2026-07-28",
    suite: suiteOf("mcp-conformance-2026"),
    args: ["--requirements", "2026-07-28"],
    baseline: new URL("./conformance/baseline-2026-07-28.yml", import.meta.url).pathname,
  },
];

let mcp: TestMcp;
let proxy: Awaited<ReturnType<typeof startAuthProxy>>;
beforeAll(async () => {
  // The proxy listens first: the server must allow its Host, which names the proxy's port.
  const target = { port: 0 };
  let authorization = "";
  proxy = await startAuthProxy(target, () => authorization);
  mcp = await startTestMcp({ extraAllowedHosts: [new URL(proxy.url).host] });
  target.port = mcp.port;
  const org = await mcp.organization();
  authorization = `Bearer ${(await org.agent("conformance")).key}`;
});
afterAll(async () => {
  await proxy.close();
  await mcp.close();
});

function runSuite({ suite, args, baseline }: (typeof eraSuites)[number]) {
  return new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      [suite, "server", "--url", proxy.url, ...args, "--expected-failures", baseline],
      {
        cwd: mkdtempSync(join(tmpdir(), "taskflow-conformance-")),
        env: { ...process.env, NO_COLOR: "1" },
      },
    );
    let output = "";
    const collect = (chunk: Buffer) => {
      output += chunk.toString();
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    child.on("exit", (code) => resolve({ code, output }));
  });
}

describe.each(eraSuites)("the official MCP conformance suite for the $era era", (era) => {
  it("passes every server scenario but those in the committed baseline, each with its reason", async () => {
    // The suite exits non-zero on an unexpected failure and on a baseline entry that now passes.
    const { code, output } = await runSuite(era);
    expect(code, output).toBe(0);
  }, 300_000);
});
