import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SERVED_AUTH_ENDPOINTS } from "../src/oauth/served-endpoints.ts";
import { Browser, startTestSso, type TestSso } from "./helpers.ts";

// A NUL in a value reached PostgreSQL, which refuses it in text: the red team got a 500 from
// GET /accept-invitation?id=%00, POST /api/auth/device/code with client_id=%00, the authorization
// endpoint with client_id=%00 and a registration with a NUL in client_name. Every such request must be a
// 400 problem naming the field. The sweep sends control characters to every route the SSO serves: our
// pages (the Hono routes) and every Better Auth endpoint it serves, in the path, the query and the body.

const ADMIN = { email: "owner@example.test", password: "correct horse battery staple" };
let sso: TestSso;
const admin = new Browser();

beforeAll(async () => {
  sso = await startTestSso(
    { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    { rateLimit: { enabled: false } },
  );
  // Signed in, as the red team was: nothing is turned away for want of a session first.
  expect((await admin.submit(`${sso.url}/sign-in`, ADMIN)).status).toBe(303);
});

afterAll(async () => {
  await sso?.close();
});

interface Problem {
  type: string;
  status: number;
  errors: { field: string; message: string }[];
  error: string;
}

/** The answer must be our 400 problem naming exactly these fields. */
async function expectRefused(response: Response, fields: string[], what: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${what}: ${text.slice(0, 300)}`).toBe(400);
  expect(response.headers.get("content-type"), what).toBe("application/problem+json");
  const problem = JSON.parse(text) as Problem;
  expect(problem.status).toBe(400);
  expect(problem.type).toBe("https://taskflow.dev/problems/invalid-request");
  expect(problem.error, what).toBe("invalid_request");
  expect(
    problem.errors.map((error) => error.field),
    what,
  ).toEqual(fields);
}

describe("the red team's requests", () => {
  it("GET /accept-invitation?id=%00, signed in", async () => {
    await expectRefused(await admin.fetch(`${sso.url}/accept-invitation?id=%00`), ["query.id"], "invitation");
  });

  it("POST /api/auth/device/code with client_id=%00", async () => {
    const response = await fetch(`${sso.url}/api/auth/device/code`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "client_id=%00&scope=openid",
    });
    await expectRefused(response, ["body.client_id"], "device code");
  });

  it("GET /api/auth/oauth2/authorize?client_id=%00…", async () => {
    const url = `${sso.url}/api/auth/oauth2/authorize?client_id=%00&redirect_uri=http%3A%2F%2Flocalhost%3A3000%2Fcb&response_type=code&scope=openid`;
    await expectRefused(await admin.fetch(url), ["query.client_id"], "authorize");
  });

  it("POST /api/auth/oauth2/register with a NUL in client_name", async () => {
    const response = await fetch(`${sso.url}/api/auth/oauth2/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        client_name: "Task\u0000Flow",
        redirect_uris: ["http://localhost:3118/callback"],
        token_endpoint_auth_method: "none",
      }),
    });
    await expectRefused(response, ["body.client_name"], "register");
  });
});

describe("client credentials sent with HTTP Basic", () => {
  it("are held to the same rule (a NUL client id was a 500 at token, introspection and revocation)", async () => {
    for (const credentials of ["\u0000:secret", "taskflow-dashboard:se%00cret"]) {
      for (const path of ["/oauth2/token", "/oauth2/introspect", "/oauth2/revoke"]) {
        const response = await fetch(`${sso.url}/api/auth${path}`, {
          method: "POST",
          headers: {
            authorization: `Basic ${Buffer.from(credentials).toString("base64")}`,
            "content-type": "application/x-www-form-urlencoded",
          },
          body: "grant_type=client_credentials&token=abc",
        });
        await expectRefused(response, ["header.authorization"], `${path} ${JSON.stringify(credentials)}`);
      }
    }
  });
});

interface Route {
  method: string;
  path: string;
}

/** Every route the SSO answers: our own (Hono) and the Better Auth endpoints served under /api/auth. */
function routes(): Route[] {
  const own = sso.sso.app.routes
    .filter((route) => (route.method === "GET" || route.method === "POST") && !route.path.includes("*"))
    .map((route) => ({ method: route.method, path: route.path }));
  const served = SERVED_AUTH_ENDPOINTS.flatMap((endpoint) =>
    endpoint.methods.map((method) => ({ method, path: `/api/auth${endpoint.path}` })),
  );
  const all = [...own, ...served];
  return all.filter(
    (route, index) => all.findIndex((r) => r.method === route.method && r.path === route.path) === index,
  );
}

/** A path for a pattern, with `value` in each parameter (`:token`). */
const concrete = (path: string, value = "some-value") => path.replace(/:[a-z_]+/gi, value);

// NUL, another C0 control, DEL and a C1 control (U+009F): none belongs in any value the SSO takes.
const CONTROLS = ["\u0000", "\u0001", "\u007f", "\u009f"];

describe("every route refuses a control character, wherever it is", () => {
  it("covers our pages and the served Better Auth endpoints", () => {
    const paths = routes().map((route) => `${route.method} ${route.path}`);
    for (const expected of [
      "GET /accept-invitation",
      "POST /consent",
      "POST /device",
      "POST /sign-up",
      "GET /api/auth/oauth2/authorize",
      "POST /api/auth/oauth2/register",
      "POST /api/auth/device/code",
      "POST /api/auth/sign-up/email",
    ]) {
      expect(paths).toContain(expected);
    }
  });

  it("in the query", async () => {
    for (const route of routes()) {
      for (const control of CONTROLS) {
        const url = `${sso.url}${concrete(route.path)}?state=ok&probe=${encodeURIComponent(`a${control}b`)}`;
        const response = await admin.fetch(url, {
          method: route.method,
          headers: { origin: sso.url, "content-type": "application/x-www-form-urlencoded" },
          ...(route.method === "POST" ? { body: "" } : {}),
        });
        await expectRefused(response, ["query.probe"], `${route.method} ${route.path}`);
      }
    }
  });

  it("in a path parameter", async () => {
    for (const route of routes().filter((r) => r.path.includes(":"))) {
      const response = await admin.fetch(`${sso.url}${concrete(route.path, "%00")}`, {
        method: route.method,
        headers: { origin: sso.url, "content-type": "application/json" },
        ...(route.method === "POST" ? { body: "{}" } : {}),
      });
      await expectRefused(response, ["path"], `${route.method} ${route.path}`);
    }
  });

  it("in a form field, a JSON field (nested, in a list, as a name) and a multipart field", async () => {
    for (const route of routes().filter((r) => r.method === "POST")) {
      const what = `POST ${route.path}`;
      const url = `${sso.url}${concrete(route.path)}`;
      const post = (contentType: string | undefined, body: string | FormData) =>
        admin.fetch(url, {
          method: "POST",
          headers: { origin: sso.url, ...(contentType ? { "content-type": contentType } : {}) },
          body: body as string,
        });
      await expectRefused(
        await post("application/x-www-form-urlencoded", "email=a%40example.test&probe=a%00b"),
        ["body.probe"],
        `${what} (form)`,
      );
      await expectRefused(
        await post(
          "application/json",
          JSON.stringify({ ok: "fine", probe: { list: ["fine", "a\u0001b"] }, "na\u0000me": "x" }),
        ),
        ["body.probe.list.1", "body"],
        `${what} (JSON)`,
      );
      const boundary = "----sweep";
      const multipart = `--${boundary}\r\nContent-Disposition: form-data; name="probe"\r\n\r\na\u0000b\r\n--${boundary}--\r\n`;
      await expectRefused(
        await post(`multipart/form-data; boundary=${boundary}`, multipart),
        ["body.probe"],
        `${what} (multipart)`,
      );
    }
  });

  it("lets tab, line feed and carriage return through to the checks that judge them", async () => {
    // The open-redirect checks refuse such targets themselves (test/open-redirect.security.test.ts).
    const response = await new Browser().fetch(
      `${sso.url}/sign-in?callbackURL=${encodeURIComponent("/\t\n\r/x")}`,
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toContain("text/html");
  });
});
