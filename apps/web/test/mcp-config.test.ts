import { describe, expect, it } from "vitest";
import { apiKeySnippets, oauthSnippets } from "../src/lib/mcp-config.ts";

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
    const stdio = JSON.parse(byClient["Any client, stdio"]?.text ?? "{}");
    expect(stdio.mcpServers.taskflow.env).toEqual({ TASKFLOW_API_KEY: "tf_abc_def" });
    expect(stdio.mcpServers.taskflow.args).toContain("taskflow-mcp");
    for (const s of snippets.filter((s) => s.language === "json"))
      expect(() => JSON.parse(s.text)).not.toThrow();
  });

  it("carry no key for the OAuth route", () => {
    for (const s of oauthSnippets("http://localhost:8001/mcp")) {
      expect(s.text).toContain("http://localhost:8001/mcp");
      expect(s.text).not.toContain("Bearer");
    }
  });
});
