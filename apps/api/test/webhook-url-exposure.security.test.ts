// Red-team finding 4: a webhook's URL (a Slack, Teams or Discord incoming-webhook URL is a bearer secret)
// reached people and agents who may not read webhooks, through the project's audit trail and its event
// stream: GET …/webhooks answered 403 to a viewer and to a read-only agent key, while GET …/audit and
// GET …/events handed both of them webhook.created and webhook.updated with the full url. The audit rows
// now carry the URL's origin only (`target`), and rows written before the rule are shown the same way.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { AuditPage, Project, Webhook, WebhookPayload, WebhookWithSecret } from "@taskflow/contracts";
import { schema } from "@taskflow/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { openEventStream } from "./support/sse-client.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
let f: ReturnType<typeof fixtures>;
const received: WebhookPayload[] = [];
let receiver: Server;
let receiverUrl = "";
beforeAll(async () => {
  // Loopback receivers allowed (the test's default): one receiver sees other webhooks' audit rows.
  api = await startTestApi();
  f = fixtures(api);
  receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => {
      body += chunk.toString("utf8");
    });
    req.on("end", () => {
      received.push(JSON.parse(body) as WebhookPayload);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await api.close();
});

// As the red team sent them (/tmp/rt/wh1.mjs, wh2.mjs): a public address, the secret in the path.
const secretUrl = "https://93.184.216.34/services/T000/B000/XXXXsecretXXXX";
const rotatedUrl = `https://93.184.216.34/hooks/rotated-sekrit-${Date.now()}`;

describe("a webhook's URL never reaches those who may not read webhooks", () => {
  it("viewers and read-only agents see the target's origin in the audit, the stream and other deliveries", async () => {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "owner" });
    const vic = await api.signIn({ orgId, orgRole: "member" });
    const project: Project = await f.createProject(owner.token, "Hooks");
    await f.addMember(owner.token, project.id, vic.workerId, "viewer");
    const { agent, apiKey } = await f.registerAgent(owner.token, "reader", { scopes: { actions: ["read"] } });
    await f.addMember(owner.token, project.id, agent.id, "member");
    const base = `/api/projects/${project.id}/webhooks`;

    // The read-only agent holds the project's event stream open while the admin works.
    const stream = await openEventStream(`${api.baseUrl}/api/projects/${project.id}/events`, apiKey.key);
    expect(stream.status).toBe(200);

    // Another webhook of the project receives every webhook.* row (its payload is the audit entry).
    const watcher = await api.call<WebhookWithSecret>("POST", base, {
      token: owner.token,
      body: { url: receiverUrl, events: ["webhook.*"] },
    });
    expect(watcher.status).toBe(201);
    const created = await api.call<WebhookWithSecret>("POST", base, {
      token: owner.token,
      body: { url: secretUrl, events: ["comment.added"] },
    });
    expect(created.status).toBe(201);
    const updated = await api.call<Webhook>("PATCH", `${base}/${created.body.id}`, {
      token: owner.token,
      body: { url: rotatedUrl },
    });
    expect(updated.status).toBe(200);
    const rotated = await api.call("POST", `${base}/${created.body.id}/rotate-secret`, {
      token: owner.token,
    });
    expect(rotated.status).toBe(200);

    // Neither may read the webhooks themselves…
    expect((await api.call("GET", base, { token: vic.token })).status).toBe(403);
    expect((await api.call("GET", base, { token: apiKey.key })).status).toBe(403);
    // …and the admin, who may, still reads the full URL there.
    const own = await api.call<Webhook>("GET", `${base}/${created.body.id}`, { token: owner.token });
    expect(own.body.url).toBe(rotatedUrl);

    for (const token of [vic.token, apiKey.key]) {
      const audit = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit?limit=50`, { token });
      expect(audit.status).toBe(200);
      const rows = audit.body.items.filter((e) => e.entityId === created.body.id);
      expect(rows.map((e) => e.action).sort()).toEqual([
        "webhook.created",
        "webhook.secret_rotated",
        "webhook.updated",
      ]);
      const text = JSON.stringify(audit.body);
      expect(text).not.toContain("secret/");
      expect(text).not.toContain("XXXXsecretXXXX");
      expect(text).not.toContain("rotated-sekrit");
      expect(text).not.toContain("/hook");
      const createdRow = rows.find((e) => e.action === "webhook.created");
      expect(createdRow?.after).toMatchObject({ target: "https://93.184.216.34", events: ["comment.added"] });
      expect(createdRow?.after).not.toHaveProperty("url");
    }

    // The stream the agent held open delivered the same rows, without the URL.
    await expect
      .poll(() => stream.events.filter((e) => e.event.startsWith("webhook.")).length, { timeout: 10_000 })
      .toBeGreaterThanOrEqual(4);
    await stream.close();
    const streamed = stream.events.map((e) => e.data).join("\n");
    expect(streamed).toContain("93.184.216.34");
    expect(streamed).not.toContain("XXXXsecretXXXX");
    expect(streamed).not.toContain("rotated-sekrit");

    // The other webhook's deliveries are the same audit entries.
    await expect
      .poll(() => received.filter((p) => p.data.entityId === created.body.id).length, { timeout: 10_000 })
      .toBe(3);
    const delivered = JSON.stringify(received);
    expect(delivered).not.toContain("XXXXsecretXXXX");
    expect(delivered).not.toContain("rotated-sekrit");
  });

  it("rows written before the rule are shown without the URL too", async () => {
    const orgId = api.newTenant();
    const owner = await api.signIn({ orgId, orgRole: "owner" });
    const vic = await api.signIn({ orgId, orgRole: "member" });
    const project: Project = await f.createProject(owner.token, "Old rows");
    await f.addMember(owner.token, project.id, vic.workerId, "viewer");
    // An audit row as the code before the rule wrote it: the webhook's full snapshot.
    await api.db.insert(schema.auditLog).values({
      tenantId: orgId,
      projectId: project.id,
      entityType: "webhook",
      entityId: "00000000-0000-4000-8000-000000000001",
      action: "webhook.updated",
      actorId: owner.workerId,
      actorType: "human",
      channel: "api",
      before: { url: "https://hooks.slack.com/services/T1/B1/old-secret-path", events: ["*"] },
      after: { url: "https://hooks.slack.com:8443/services/T1/B1/new-secret-path?x=1", events: ["*"] },
    });
    const audit = await api.call<AuditPage>("GET", `/api/projects/${project.id}/audit`, { token: vic.token });
    const row = audit.body.items.find((e) => e.action === "webhook.updated");
    expect(row?.before).toEqual({ target: "https://hooks.slack.com", events: ["*"] });
    expect(row?.after).toEqual({ target: "https://hooks.slack.com:8443", events: ["*"] });
  });
});
