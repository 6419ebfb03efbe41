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
    const snippets = apiKeySnippets("https://mcp.example.com/mcp", "tf_abc_def", {
      checkout: "/home/ada/taskflow/",
    });
    for (const s of snippets) expect(s.text).not.toMatch(/npx|taskflow-mcp"/);
    const stdio = JSON.parse(snippets.find((s) => s.client === "Any client, stdio")?.text ?? "{}");
    expect(stdio.mcpServers.taskflow).toEqual({
      command: "node",
      args: ["/home/ada/taskflow/apps/mcp-server/bin/taskflow-mcp.js"],
      env: { TASKFLOW_API_KEY: "tf_abc_def", TASKFLOW_MCP_URL: "https://mcp.example.com/mcp" },
    });
    const claude = snippets.find((s) => s.client === "Claude Code")?.text ?? "";
    expect(claude).toContain(
      "claude mcp add taskflow --env TASKFLOW_API_KEY=tf_abc_def --env TASKFLOW_MCP_URL=https://mcp.example.com/mcp -- node /home/ada/taskflow/apps/mcp-server/bin/taskflow-mcp.js",
    );
  });

  // Red-team finding 11: the stdio snippet told people to put the API's DATABASE_URL (every organization's
  // data) in an agent's configuration. An agent's stdio server needs its key and the MCP server's URL only.
  it("never put a database address or any credential but the key in an agent's configuration", () => {
    for (const s of apiKeySnippets("https://mcp.example.com/mcp", "tf_abc_def")) {
      expect(s.text, s.client).not.toMatch(/DATABASE_URL|postgres|TASKFLOW_DATA_DIR/i);
      expect(`${s.note ?? ""}`, s.client).not.toMatch(/DATABASE_URL|taskflow_db/);
    }
    expect(Object.keys(stdioServer("tf_x", "https://mcp.example.com/mcp").env).sort()).toEqual([
      "TASKFLOW_API_KEY",
      "TASKFLOW_MCP_URL",
    ]);
  });

  it("name the MCP server's real bin, and the environment its stdio entry reads", () => {
    const pkg = JSON.parse(readFileSync(join(repoRoot, "apps/mcp-server/package.json"), "utf8"));
    expect(pkg.private).toBe(true);
    expect(join("apps/mcp-server", pkg.bin["taskflow-mcp"])).toBe(stdioBin);
    expect(existsSync(join(repoRoot, stdioBin))).toBe(true);
    const bridge = readFileSync(join(repoRoot, "apps/mcp-server/src/stdio-bridge.ts"), "utf8");
    for (const name of Object.keys(stdioServer("tf_x", "https://mcp.example.com/mcp").env))
      expect(bridge).toContain(`env.${name}`);
    expect(stdioServer("tf_x", "https://mcp.example.com/mcp").args[0]).toBe(`/path/to/taskflow/${stdioBin}`);
  });

  it("start with the snippet's command: node runs the bin from the clone and asks for the key first", () => {
    const { command, args, env } = stdioServer("", "https://mcp.example.com/mcp", { checkout: repoRoot });
    expect(command).toBe("node");
    const start = (extra: Record<string, string>) =>
      spawnSync(process.execPath, args, {
        cwd: "/",
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "development", ...extra },
        encoding: "utf8",
        timeout: 20_000,
      });
    const noKey = start({ TASKFLOW_MCP_URL: env.TASKFLOW_MCP_URL });
    expect(noKey.stderr).toContain("set TASKFLOW_API_KEY");
    expect(noKey.status).toBe(78);
    // The key travels with every call: never to a plain http:// address off this machine.
    const clear = start({ TASKFLOW_API_KEY: "tf_x", TASKFLOW_MCP_URL: "http://mcp.example.com/mcp" });
    expect(clear.stderr).toContain("must be https://");
    expect(clear.status).toBe(78);
  });

  it("carry no key for the OAuth route", () => {
    for (const s of oauthSnippets("http://localhost:8001/mcp")) {
      expect(s.text).toContain("http://localhost:8001/mcp");
      expect(s.text).not.toContain("Bearer");
    }
  });
});
