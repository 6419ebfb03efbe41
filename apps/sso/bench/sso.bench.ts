// Prints figures, asserts nothing: sign-ins per second, authorization-code token issuance per second,
// and the cost of verifying one access token the way apps/api does it: @taskflow/resource-auth's
// createAccessTokenVerifier (jose against the SSO's JWKS, fetched once over HTTP and cached; issuer,
// audience, algorithms, required claims, and the organization / role claims parsed).
// Needs BENCH_DATABASE_URL or TEST_DATABASE_URL: a PostgreSQL server where it may create a database
// (scripts/throwaway-postgres.sh starts one). Rate limits are off here (they would stop a benchmark by
// design). Usage: npm run bench -w apps/sso
import { createHash, randomBytes } from "node:crypto";
// By path, like apps/api's benches reach bench/lib: apps/sso does not depend on the package otherwise.
import { createAccessTokenVerifier } from "../../../packages/resource-auth/src/index.ts";
import { Browser, startTestSso } from "../test/helpers.ts";

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
if (!serverUrl || !/^postgres(ql)?:\/\//.test(serverUrl)) {
  process.stderr.write(
    "set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to a PostgreSQL server (postgres://…) where the benchmark " +
      "may create a database; scripts/throwaway-postgres.sh starts one\n",
  );
  process.exit(2);
}
// The test helpers create their database on the server named by TEST_DATABASE_URL.
process.env.TEST_DATABASE_URL = serverUrl;

const SIGN_INS = 60;
const TOKENS = 60;
const VERIFIES = 3000;
const CONCURRENCY = 6;

const ADMIN_EMAIL = "bench@example.test";
const ADMIN_PASSWORD = "benchmark passphrase";
const CLIENT_ID = "bench-client";
const CLIENT_SECRET = "bench-client-secret-0123456789";
const REDIRECT = "http://127.0.0.1:9/callback";
const API = "http://localhost:8000";

async function timed(label: string, total: number, run: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < total) {
        const index = next++;
        await run(index);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label}: ${(total / seconds).toFixed(1)}/s (${total} in ${seconds.toFixed(2)} s, ${CONCURRENCY} concurrent)`,
  );
}

const sso = await startTestSso(
  {
    ADMIN_EMAIL,
    ADMIN_PASSWORD,
    API_AUDIENCE: API,
    EXTRA_OAUTH_CLIENTS: JSON.stringify([
      { client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [REDIRECT], skip_consent: true },
    ]),
  },
  { rateLimit: { enabled: false } },
);
console.log(`database: PostgreSQL (${process.env.BENCH_DATABASE_URL ? "BENCH" : "TEST"}_DATABASE_URL)`);

try {
  await timed("sign-in (email + password, scrypt)", SIGN_INS, async () => {
    const response = await fetch(`${sso.url}/api/auth/sign-in/email`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: sso.url },
      body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }),
    });
    if (response.status !== 200) throw new Error(`sign-in answered ${response.status}`);
    await response.arrayBuffer();
  });

  const browser = new Browser();
  await browser.submit(`${sso.url}/sign-in`, { email: ADMIN_EMAIL, password: ADMIN_PASSWORD });
  const tokens: string[] = [];
  await timed("token issuance (authorize + code exchange, JWT access token)", TOKENS, async () => {
    const verifier = randomBytes(32).toString("base64url");
    const authorize = await browser.fetch(
      `${sso.url}/api/auth/oauth2/authorize?${new URLSearchParams({
        response_type: "code",
        client_id: CLIENT_ID,
        redirect_uri: REDIRECT,
        scope: "openid taskflow:read",
        code_challenge: createHash("sha256").update(verifier).digest("base64url"),
        code_challenge_method: "S256",
        resource: API,
      })}`,
    );
    const code = new URL(authorize.headers.get("location") ?? "").searchParams.get("code");
    if (!code) throw new Error(`authorize answered ${authorize.status}`);
    const token = await fetch(`${sso.url}/api/auth/oauth2/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${CLIENT_ID}:${CLIENT_SECRET}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        resource: API,
      }).toString(),
    });
    const body = (await token.json()) as { access_token?: string };
    if (!body.access_token) throw new Error(`token answered ${token.status}`);
    tokens.push(body.access_token);
  });

  // What apps/api builds from SSO_ISSUER, SSO_JWKS_URL and API_AUDIENCE (src/start-api.ts).
  const verify = createAccessTokenVerifier({ issuer: sso.issuer, jwksUrl: sso.jwksUrl, audience: API });
  const coldStarted = performance.now();
  const claims = await verify(tokens[0] ?? "");
  const coldMs = performance.now() - coldStarted;
  if (!claims.tenantId || claims.orgRole !== "owner") throw new Error("the token lacks organization claims");
  for (let index = 0; index < 200; index++) await verify(tokens[index % tokens.length] ?? "");
  const started = performance.now();
  for (let index = 0; index < VERIFIES; index++) {
    await verify(tokens[index % tokens.length] ?? "");
  }
  const micros = ((performance.now() - started) * 1000) / VERIFIES;
  console.log(
    `access-token verification in the API (createAccessTokenVerifier, cached JWKS, RS256): ${micros.toFixed(1)} µs per token (${VERIFIES} tokens); first token with the JWKS fetch: ${coldMs.toFixed(1)} ms`,
  );
} finally {
  await sso.close();
}
