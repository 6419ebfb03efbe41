import { mkdtempSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createTaskflowTestDatabase } from "@taskflow/core/testing";
import { testEngine } from "@taskflow/db/testing";
import { startTestIssuer, type TestIssuer } from "@taskflow/resource-auth/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiProcess, startApiProcess } from "./support/api-process.ts";

// Red-team finding 2, on the API: a page on a rebound DNS name (rebind.attacker.example -> 127.0.0.1 or a pod's
// address) is same-origin with the API to the browser, so it could read whatever answers without credentials
// (metrics, the OpenAPI document) and speak to it with any credential it can make the browser send. The API, run
// as the chart runs it, must refuse a Host it does not serve and keep answering its public host, the Service
// names the chart lists in ALLOWED_HOSTS, IP addresses (a kubelet's probes send Host <pod IP>:<port>) and localhost.

const audience = "https://api.taskflow.example";
const cleanups: (() => Promise<void> | void)[] = [];
let api: ApiProcess;
let issuer: TestIssuer;

beforeAll(async () => {
  issuer = await startTestIssuer({ audience });
  cleanups.push(() => issuer.close());
  let database: Record<string, string>;
  if (testEngine() === "postgres") {
    const created = await createTaskflowTestDatabase();
    cleanups.push(() => created.close());
    database = { DATABASE_URL: created.url as string };
  } else {
    const dir = mkdtempSync(join(tmpdir(), "taskflow-api-rebinding-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    database = { TASKFLOW_DATA_DIR: dir };
  }
  api = await startApiProcess({
    ...database,
    SSO_ISSUER: issuer.issuer,
    SSO_JWKS_URL: issuer.jwksUrl,
    API_AUDIENCE: audience,
    // Where the notification mail's unsubscribe links point: a name of the API's too.
    PUBLIC_URL: "https://links.taskflow.example",
    ALLOWED_HOSTS: "taskflow-api,taskflow-api.taskflow.svc",
    MIGRATE_ON_START: "true",
    LOG_LEVEL: "warn",
    SHUTDOWN_DELAY_SECONDS: "0",
  });
  cleanups.push(async () => {
    await api.stop();
  });
}, 120_000);

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A request to the API's socket naming `host` (what a browser sends is the name it resolved). */
function get(path: string, host: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
    const outgoing = request(`${api.url}${path}`, { headers: { ...headers, host } }, (response) => {
      let body = "";
      response.on("data", (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, type: response.headers["content-type"] ?? "", body }),
      );
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}

describe("the API, as the chart runs it", () => {
  it("refuses a rebound name on every path: health, metrics, the OpenAPI document, the REST API", async () => {
    const token = await issuer.mint({ orgId: "org-rebinding" });
    for (const path of ["/health", "/metrics", "/openapi.json", "/api/projects"]) {
      const answer = await get(path, `rebind.attacker.example:${api.port}`, {
        authorization: `Bearer ${token}`,
        origin: `http://rebind.attacker.example:${api.port}`,
      });
      expect(`${path}: ${answer.status}`).toBe(`${path}: 403`);
      expect(answer.type).toContain("application/problem+json");
      expect(answer.body).not.toMatch(/"openapi":|# HELP/);
    }
  });

  it("answers its public hosts (API_AUDIENCE's, PUBLIC_URL's), the listed Service names, IP addresses and localhost", async () => {
    const token = await issuer.mint({ orgId: "org-rebinding" });
    for (const host of [
      "api.taskflow.example",
      "links.taskflow.example",
      `taskflow-api:${api.port}`,
      "taskflow-api.taskflow.svc:8000",
      `127.0.0.1:${api.port}`,
      "10.244.3.17:8000",
      `localhost:${api.port}`,
    ]) {
      const answer = await get("/api/projects", host, { authorization: `Bearer ${token}` });
      expect(`${host}: ${answer.status}`).toBe(`${host}: 200`);
    }
  });
});
