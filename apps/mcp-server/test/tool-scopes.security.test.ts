import { actionScopes, taskflowScopes } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mcpScopes } from "../src/auth/protected-resource.ts";
import { taskflowTools } from "../src/tools/index.ts";
import { postInEra } from "./support/era-requests.ts";
import { type Era, eras, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * Each tool's OAuth scope is the scope of its action in core's one table (`actionScopes`), the table
 * the REST API decides by: generated from the tool list, every tool called with a token holding each
 * TaskFlow scope alone (no scope is needed merely to speak to the server), through real HTTP, in both
 * protocol eras: the refusal (403 insufficient_scope and its challenge) is the same in each.
 */

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

const call = (era: Era, token: string, name: string) =>
  postInEra(
    mcp.mcpUrl,
    era,
    { id: 1, method: "tools/call", params: { name, arguments: {} } },
    { credential: token },
  );

describe("MCP tool scopes come from core's table", () => {
  it("gives every read-only tool, and only those, the read scope", () => {
    for (const tool of taskflowTools) {
      const readOnly = tool.annotations.readOnlyHint === true;
      expect(actionScopes[tool.action] === "taskflow:read", tool.name).toBe(readOnly);
    }
    // No tool administers: a client of this server is never asked for taskflow:manage.
    expect(mcpScopes).toEqual(["taskflow:read", "taskflow:write"]);
  });

  const matrix = eras.flatMap((era) =>
    taskflowTools.flatMap((tool) =>
      taskflowScopes.map((scope) => ({
        era,
        tool: tool.name,
        scope,
        allowed: scope === actionScopes[tool.action],
        required: actionScopes[tool.action],
      })),
    ),
  );

  it.each(matrix)(
    "$era: $tool with $scope alone: allowed=$allowed",
    async ({ era, tool, scope, allowed, required }) => {
      const org = await mcp.organization();
      const granted = `openid ${scope}`;
      const response = await call(era, await mcp.personToken(org.tenant, org.owner.sub, granted), tool);
      if (allowed) {
        // Served: the SDK answers (here, the empty arguments are an isError result), never a 403.
        expect(response.status, `${tool} ${granted}`).toBe(200);
      } else {
        expect(response.status, `${tool} ${granted}`).toBe(403);
        expect(await response.json()).toMatchObject({ error: "insufficient_scope", scope: required });
        const challenge = response.headers.get("www-authenticate");
        expect(challenge).toContain('error="insufficient_scope"');
        expect(challenge).toContain(required);
      }
    },
  );
});
