import type { Project, Task, TaskPage } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApi, type TestApi } from "./support/test-api.ts";

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api.close());

const projectCount = async (token: string) =>
  (await api.call<Project[]>("GET", "/api/projects", { token })).body.length;

/** A person with a project of their own (they own it, so they may also review its tasks). */
async function personWithProject() {
  const ada = await api.signIn({ orgId: api.newTenant() });
  const project = (
    await api.call<Project>("POST", "/api/projects", { token: ada.token, body: { name: "P" } })
  ).body;
  return { ada, project };
}

describe("Idempotency-Key", () => {
  it("answers a retry with the first answer and does the work once", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const send = () =>
      api.call<Project>("POST", "/api/projects", {
        token: ada.token,
        body: { name: "Once" },
        headers: { "idempotency-key": "create-once-1" },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    expect(await projectCount(ada.token)).toBe(2); // the default project and this one
  });

  it("refuses the same key with a different body with 422", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const headers = { "idempotency-key": "same-key" };
    await api.call("POST", "/api/projects", { token: ada.token, body: { name: "A" }, headers });
    const other = await api.call<{ errors: { field: string }[] }>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "B" },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body.errors[0]?.field).toBe("header.idempotency-key");
    expect(await projectCount(ada.token)).toBe(2);
  });

  it("keeps callers apart: two people may use the same key", async () => {
    const tenant = api.newTenant();
    const ada = await api.signIn({ orgId: tenant });
    const bob = await api.signIn({ orgId: tenant });
    const headers = { "idempotency-key": "shared" };
    const a = await api.call<Project>("POST", "/api/projects", {
      token: ada.token,
      body: { name: "Mine" },
      headers,
    });
    const b = await api.call<Project>("POST", "/api/projects", {
      token: bob.token,
      body: { name: "Mine" },
      headers,
    });
    expect(a.body.id).not.toBe(b.body.id);
  });

  it("creates one project when the same request races with itself", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const results = await Promise.all(
      Array.from({ length: 6 }, () =>
        api.call<Project>("POST", "/api/projects", {
          token: ada.token,
          body: { name: "Raced" },
          headers: { "idempotency-key": "race-1" },
        }),
      ),
    );
    const created = results.filter((r) => r.status === 201);
    expect(new Set(created.map((r) => r.body.id)).size).toBe(1);
    expect(results.every((r) => r.status === 201 || r.status === 409)).toBe(true);
    expect(await projectCount(ada.token)).toBe(2);
  });

  it("leaves a method no route serves to its 405, whatever the key", async () => {
    const { ada, project } = await personWithProject();
    const headers = { "idempotency-key": "used-for-a-post" };
    await api.call("POST", `/api/projects/${project.id}/tasks`, {
      token: ada.token,
      body: { title: "x" },
      headers,
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      const put = await api.call("PUT", `/api/projects/${project.id}/tasks`, {
        token: ada.token,
        body: { title: "x" },
        headers,
      });
      expect(put.status).toBe(405);
      expect(put.headers.get("idempotent-replayed")).toBeNull();
    }
  });

  it("remembers refusals too, and refuses a malformed key", async () => {
    const ada = await api.signIn({ orgId: api.newTenant() });
    const bad = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "x" },
      headers: { "idempotency-key": "é".repeat(3) },
    });
    expect(bad.status).toBe(400);
    const headers = { "idempotency-key": "taken-slug" };
    await api.call("POST", "/api/projects", { token: ada.token, body: { name: "Taken", slug: "taken" } });
    const refused = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "T", slug: "taken" },
      headers,
    });
    const again = await api.call("POST", "/api/projects", {
      token: ada.token,
      body: { name: "T", slug: "taken" },
      headers,
    });
    expect([refused.status, again.status]).toEqual([409, 409]);
    expect(again.headers.get("idempotent-replayed")).toBe("true");
  });
});

describe("Idempotency-Key on tasks", () => {
  it("a retried task creation creates exactly one task and answers the first answer", async () => {
    const { ada, project } = await personWithProject();
    const send = () =>
      api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
        token: ada.token,
        body: { title: "Only once" },
        headers: { "idempotency-key": "create-task-1" },
      });
    const first = await send();
    const retry = await send();
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.headers.get("location")).toBe(`/api/tasks/${first.body.id}`);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const listed = await api.call<TaskPage>("GET", `/api/projects/${project.id}/tasks`, { token: ada.token });
    expect(listed.body.items.map((t) => t.id)).toEqual([first.body.id]);
  });

  it("a retried approval replays its first answer; the same key with another body answers 422", async () => {
    const { ada, project } = await personWithProject();
    const task = (
      await api.call<Task>("POST", `/api/projects/${project.id}/tasks`, {
        token: ada.token,
        body: { title: "Review me" },
      })
    ).body;
    for (const status of ["in_progress", "review"]) {
      await api.call("PATCH", `/api/tasks/${task.id}/status`, { token: ada.token, body: { status } });
    }
    const approve = <T = Task>(note: string) =>
      api.call<T>("POST", `/api/tasks/${task.id}/approve`, {
        token: ada.token,
        body: { note },
        headers: { "idempotency-key": "approve-1" },
      });
    const first = await approve("ship it");
    expect(first.status).toBe(200);
    expect(first.body.status).toBe("completed");
    // Approving a completed task again would be refused with 409: the retry gets the first answer.
    const retry = await approve("ship it");
    expect(retry.status).toBe(200);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.get("idempotent-replayed")).toBe("true");

    const other = await approve<{ errors: { field: string }[] }>("something else");
    expect(other.status).toBe(422);
    expect(other.body.errors[0]?.field).toBe("header.idempotency-key");
    const comments = await api.call<{ items: { body: string }[] }>("GET", `/api/tasks/${task.id}/comments`, {
      token: ada.token,
    });
    expect(comments.body.items.map((c) => c.body)).toEqual(["ship it"]);
  });
});
