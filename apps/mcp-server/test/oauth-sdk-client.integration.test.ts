// A real MCP client signs in with OAuth, from the MCP server's 401 to a tool call: the MCP TypeScript SDK's
// own OAuth client provider (InMemoryOAuthClientProvider, shipped with the SDK's examples) unmodified, driven
// by the SDK's transport (auth(): protected-resource metadata, authorization-server discovery, dynamic client
// registration, PKCE, the code exchange), and the SSO's real sign-in and consent pages played over plain HTTP.
// Registration went wrong before: real clients send loopback redirect URIs without application_type.
import { readFileSync } from "node:fs";
import { UnauthorizedError } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { InMemoryOAuthClientProvider } from "@modelcontextprotocol/sdk/examples/client/simpleOAuthClientProvider.js";
import type { OAuthClientMetadata } from "@modelcontextprotocol/sdk/shared/auth.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authorizeInBrowser } from "../../sso/test/authorization.ts";
import { Browser } from "../../sso/test/helpers.ts";
import { type RealStack, stackAdmin, startRealStack } from "./support/real-stack.ts";

/** What real clients register (apps/sso/test/fixtures/mcp-client-registrations.json says where each was found). */
const fixtures = (
  JSON.parse(
    readFileSync(new URL("../../sso/test/fixtures/mcp-client-registrations.json", import.meta.url), "utf8"),
  ) as { clients: { name: string; body: Record<string, unknown>; authorizeWith: string }[] }
).clients;
const fixture = (name: string) => {
  const found = fixtures.find((client) => client.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found;
};

let stack: RealStack;

beforeAll(async () => {
  stack = await startRealStack();
}, 180_000);

afterAll(async () => {
  await stack?.close();
});

/**
 * The whole sign-in as the SDK runs it: connect (401), the provider is sent to the authorization URL, the
 * person signs in and consents in the browser, the code comes back to the client's redirect URI, finishAuth
 * exchanges it; then a new connection calls a tool.
 */
async function signInAndCallTool(metadata: OAuthClientMetadata, redirectUrl: string) {
  let authorizationUrl: URL | undefined;
  const provider = new InMemoryOAuthClientProvider(redirectUrl, metadata, (url) => {
    authorizationUrl = url;
  });
  const first = new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: provider });
  await expect(new Client({ name: "sdk-oauth-test", version: "1.0.0" }).connect(first)).rejects.toThrow(
    UnauthorizedError,
  );
  expect(authorizationUrl?.origin).toBe(new URL(stack.sso.url).origin);
  expect(provider.clientInformation()?.client_id).toBeTruthy();

  const { location } = await authorizeInBrowser(
    new Browser(),
    stack.sso.url,
    authorizationUrl as URL,
    stackAdmin,
  );
  const back = new URL(location);
  expect(`${back.origin}${back.pathname}`).toBe(redirectUrl);
  await first.finishAuth(back.searchParams.get("code") ?? "");
  expect(provider.tokens()?.access_token).toBeTruthy();

  const client = new Client({ name: "sdk-oauth-test", version: "1.0.0" });
  await client.connect(new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { authProvider: provider }));
  const result = (await client.callTool({ name: "taskflow_list_projects", arguments: {} })) as CallToolResult;
  await client.close();
  return { result, provider };
}

describe("the MCP SDK's OAuth client provider, from the 401 to a tool call", () => {
  it("with the metadata of the SDK's own example client (a secret, a loopback redirect, no application_type)", async () => {
    const sdk = fixture("MCP TypeScript SDK example client");
    const { scope: _scope, ...metadata } = sdk.body;
    const { result, provider } = await signInAndCallTool(metadata as OAuthClientMetadata, sdk.authorizeWith);
    expect(result.isError).not.toBe(true);
    expect(provider.clientInformation()?.client_secret).toBeTruthy();
  });

  it("with the metadata Claude Code registers (public, http://localhost:<port>/callback)", async () => {
    const claude = fixture("Claude Code");
    const { result, provider } = await signInAndCallTool(
      claude.body as OAuthClientMetadata,
      claude.authorizeWith,
    );
    expect(result.isError).not.toBe(true);
    expect(provider.clientInformation()?.client_secret).toBeUndefined();
  });
});
