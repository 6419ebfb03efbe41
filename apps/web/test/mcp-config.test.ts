import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { apiKeySnippets, oauthSnippets, stdioBin, stdioServer } from "../src/lib/mcp-config.ts";

const repoRoot = join(import.meta.dirname, "..", "..", "..");

describe("connect-an-agent snippets", () => {
  it("carry the key for the API-key route, as a Bearer header and as TASKFLOW_API_KEY", () => {
    const snippets = apiKeySnippets("http://localhost:8001/mcp", "tf_abc_def");
    const byClient = Object.fromEntries(snippets.map((s) => [s.client, s]));
    expect(Object.keys(byClient)).toEqual(
      expect.arrayContaining(["Claude Code", "Cursor", "VS Code", "Windsurf", "Gemini CLI"]),
    );
    const cursor = JSON.parse(byClient.Cursor?.text ?? "{}");
    expect(cursor.mcpServers.taskflow).toEqual({
      url: "http://localhost:8001/mcp",
      headers: { Authorization: "Bearer tf_abc_def" },
    });
    for (const s of snippets.filter((s) => s.language === "json"))
      expect(() => JSON.parse(s.text)).not.toThrow();
  });

  it("run the stdio server from a clone with node, never through npx (the package is not published)", () => {
    const snippets = apiKeySnippets("http://localhost:8001/mcp", "tf_abc_def", {
      checkout: "/home/ada/taskflow/",
      databaseUrl: "postgres://tf:pw@db:5432/taskflow_db",
    });
    for (const s of snippets) expect(s.text).not.toMatch(/npx|taskflow-mcp"/);
    const stdio = JSON.parse(snippets.find((s) => s.client === "Any client, stdio")?.text ?? "{}");
    expect(stdio.mcpServers.taskflow).toEqual({
      command: "node",
      args: ["/home/ada/taskflow/apps/mcp-server/bin/taskflow-mcp.js"],
      env: { TASKFLOW_API_KEY: "tf_abc_def", DATABASE_URL: "postgres://tf:pw@db:5432/taskflow_db" },
    });
    const claude = snippets.find((s) => s.client === "Claude Code")?.text ?? "";
    expect(claude).toContain(
      "claude mcp add taskflow --env TASKFLOW_API_KEY=tf_abc_def --env DATABASE_URL=postgres://tf:pw@db:5432/taskflow_db -- node /home/ada/taskflow/apps/mcp-server/bin/taskflow-mcp.js",
    );
  });

  it("name the MCP server's real bin, and the environment its stdio entry reads", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "apps/mcp-server/package.json"), "utf8"));
    expect(pkg.private).toBe(true);
    expect(join("apps/mcp-server", pkg.bin["taskflow-mcp"])).toBe(stdioBin);
    expect(existsSync(join(repoRoot, stdioBin))).toBe(true);
    const source = readFileSync(join(repoRoot, "apps/mcp-server/src/stdio.ts"), "utf8");
    expect(source).toContain("process.env.TASKFLOW_API_KEY");
    const env = readFileSync(join(repoRoot, "apps/mcp-server/src/env.ts"), "utf8");
    for (const name of Object.keys(stdioServer("tf_x").env).filter((n) => n !== "TASKFLOW_API_KEY"))
      expect(env).toContain(`${name}:`);
    expect(stdioServer("tf_x").args[0]).toBe(`/path/to/taskflow/${stdioBin}`);
  });

  it("start with the snippet's command: node runs the bin from the clone and asks for the key first", () => {
    const { command, args } = stdioServer("unused", { checkout: repoRoot });
    expect(command).toBe("node");
    const run = spawnSync(process.execPath, args, {
      cwd: "/",
      env: { PATH: process.env.PATH ?? "", NODE_ENV: "development" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(run.stderr).toContain("set TASKFLOW_API_KEY");
    expect(run.status).toBe(78);
  });

  it("carry no key for the OAuth route", () => {
    for (const s of oauthSnippets("http://localhost:8001/mcp")) {
      expect(s.text).toContain("http://localhost:8001/mcp");
      expect(s.text).not.toContain("Bearer");
    }
  });
});
