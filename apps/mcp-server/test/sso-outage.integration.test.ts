import { signingKeyDefaults } from "@taskflow/resource-auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * The SSO unreachable (its key set failing, then hanging): the API and the MCP server, with the
 * production key settings, keep accepting the tokens whose keys they hold, without waiting on the
 * SSO. When it is back and has rotated its signing key, tokens under the new key id are accepted
 * by both. (The cache's timings themselves, shortened, are tested in packages/resource-auth.)
 */

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => {
  mcp.api.issuer.setJwks("up");
  return mcp.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("SSO unreachable", () => {
  it("keeps verifying with the keys it has on both servers, then picks up a rotated key", async () => {
    const { api } = mcp;
    const org = await mcp.organization();
    const sub = org.owner.sub;
    const restToken = org.owner.token;
    const mcpToken = await mcp.personToken(org.tenant, sub);

    const viaRest = async (token: string) => {
      const started = performance.now();
      const res = await api.call<{ items?: unknown[] }>("GET", "/api/projects", { token });
      return { status: res.status, ms: performance.now() - started };
    };
    const viaMcp = async (token: string) => {
      const started = performance.now();
      const client = await mcp.connect(token);
      try {
        const result = await client.call<{ projects: { id: string }[] }>("taskflow_list_projects");
        const ok = !result.isError && result.data.projects.some((p) => p.id === org.project.id);
        return { ok, ms: performance.now() - started };
      } finally {
        await client.close();
      }
    };

    // Keys fetched by each server on first use.
    expect((await viaRest(restToken)).status).toBe(200);
    expect((await viaMcp(mcpToken)).ok).toBe(true);
    const fetchedAt = performance.now();

    for (const mode of ["failing", "hanging"] as const) {
      api.issuer.setJwks(mode);
      const rest = await viaRest(restToken);
      const agent = await viaMcp(mcpToken);
      process.stdout.write(
        `[sso outage] key set ${mode}: API ${rest.status} in ${rest.ms.toFixed(0)} ms, MCP ${agent.ok ? "ok" : "refused"} in ${agent.ms.toFixed(0)} ms\n`,
      );
      expect(rest.status).toBe(200);
      expect(agent.ok).toBe(true);
      // Well under the key fetch's timeout: nobody waited on the SSO.
      expect(rest.ms).toBeLessThan(signingKeyDefaults.timeoutMs);
      expect(agent.ms).toBeLessThan(signingKeyDefaults.timeoutMs);
    }

    // Back, with a new signing key: the first token under it makes each server fetch the keys
    // again (once the unknown-key cooldown since their last fetch has passed).
    api.issuer.setJwks("up");
    const waited = performance.now() - fetchedAt;
    await sleep(Math.max(0, signingKeyDefaults.unknownKeyCooldownMs - waited + 200));
    const before = api.issuer.jwksRequests();
    await api.issuer.rotate({ keepOld: false });
    const rotatedRest = await api.issuer.mint({ orgId: org.tenant, sub });
    const rotatedMcp = await mcp.personToken(org.tenant, sub);
    expect((await viaRest(rotatedRest)).status).toBe(200);
    expect((await viaMcp(rotatedMcp)).ok).toBe(true);
    expect(api.issuer.jwksRequests() - before).toBe(2); // one per server
  }, 60_000);
});
