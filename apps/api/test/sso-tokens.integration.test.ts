import type { Project, Worker } from "@taskflow/contracts";
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, hiddenInput, startTestSso, type TestSso } from "../../sso/test/helpers.ts";
import { startTestApi, type TestApi, testAudience } from "./support/test-api.ts";

// The API against the real SSO: a person signs in through OpenID Connect (authorization code +
// PKCE, with openid-client), and the API accepts the access token the SSO issued for it.
const email = "ada@example.test";
const password = "analytical engine 1843";
const clientId = "api-test-rp";
const clientSecret = "api-test-rp-secret-0123456789";
const redirect = "http://127.0.0.1:9/callback";

let sso: TestSso;
let api: TestApi;
let oidc: client.Configuration;

beforeAll(async () => {
  sso = await startTestSso({
    ADMIN_EMAIL: email,
    ADMIN_PASSWORD: password,
    API_AUDIENCE: testAudience,
    EXTRA_OAUTH_CLIENTS: JSON.stringify([
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: "API test relying party",
        redirect_uris: [redirect],
        token_endpoint_auth_method: "client_secret_basic",
        application_type: "native",
        skip_consent: true,
      },
    ]),
  });
  api = await startTestApi(undefined, { tokenIssuer: { issuer: sso.issuer, jwksUrl: sso.jwksUrl } });
  oidc = await client.discovery(
    new URL(sso.url),
    clientId,
    undefined,
    client.ClientSecretBasic(clientSecret),
    {
      execute: [client.allowInsecureRequests],
    },
  );
}, 180_000);
afterAll(async () => {
  await api?.close();
  await sso?.close();
});

async function signInForApi() {
  const browser = new Browser();
  const verifier = client.randomPKCECodeVerifier();
  const state = client.randomState();
  const nonce = client.randomNonce();
  const url = client.buildAuthorizationUrl(oidc, {
    redirect_uri: redirect,
    scope: "openid profile email taskflow:read taskflow:write",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state,
    nonce,
    resource: testAudience,
  });
  const start = await browser.follow(url, sso.url);
  const signedIn = await browser.submit(`${sso.url}/sign-in`, {
    email,
    password,
    oauth_query: hiddenInput(await start.response.text(), "oauth_query") ?? "",
  });
  let location = signedIn.headers.get("location") ?? "";
  // A trusted client skips consent: follow the redirects until they lead back to the client.
  for (let hops = 0; !location.startsWith(redirect) && hops < 5; hops++) {
    const next = await browser.follow(new URL(location, sso.url), sso.url);
    location = next.url;
  }
  expect(location.startsWith(redirect)).toBe(true);
  return client.authorizationCodeGrant(
    oidc,
    new URL(location),
    { pkceCodeVerifier: verifier, expectedState: state, expectedNonce: nonce },
    { resource: testAudience },
  );
}

describe("the API and the SSO", () => {
  it("accepts an access token from the SSO: the person's worker and their default project appear", async () => {
    const tokens = await signInForApi();
    const me = await api.call<Worker>("GET", "/api/workers/me", { token: tokens.access_token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ kind: "human", email });
    const projects = await api.call<Project[]>("GET", "/api/projects", { token: tokens.access_token });
    expect(projects.body.map((p) => p.role)).toEqual(["owner"]);
  });

  it("refuses the ID token (its audience is the client, not the API)", async () => {
    const tokens = await signInForApi();
    expect(tokens.id_token).toBeTruthy();
    const res = await api.call("GET", "/api/projects", { token: tokens.id_token as string });
    expect(res.status).toBe(401);
  });

  it("refuses a token with the SSO's claims signed by another key", async () => {
    const tokens = await signInForApi();
    const claims = JSON.parse(
      Buffer.from(tokens.access_token.split(".")[1] as string, "base64url").toString(),
    );
    const forged = await api.issuer.mint({
      sub: claims.sub,
      orgId: claims.org_id,
      orgRole: "owner",
      issuer: sso.issuer,
    });
    const res = await api.call("GET", "/api/projects", { token: forged });
    expect(res.status).toBe(401);
  });
});
