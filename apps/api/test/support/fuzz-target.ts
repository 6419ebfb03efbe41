import { schema } from "@taskflow/core";
import { eq } from "drizzle-orm";
import { fixtures } from "./fixtures.ts";
import { startTestApi } from "./test-api.ts";

/**
 * The API on a loopback port over its own migrated database, seeded with one organization the
 * fuzzer can reach: an owner (an SSO access token), a project with tasks, a subtask, a dependency,
 * a comment and a webhook, and an agent (its API key) that is an admin member of the project.
 * Webhook deliveries are off: generated URLs must never be called.
 */
export async function startFuzzTarget() {
  // The rate limiter runs too (its limits out of reach), so its path is fuzzed with the rest.
  const api = await startTestApi(undefined, {
    webhookDispatcher: false,
    allowPrivateTargets: false,
    rateLimits: { windowSeconds: 60, perAddress: 1_000_000, perCaller: 1_000_000, trustedProxies: 1 },
  });
  const f = fixtures(api);
  const tenant = api.newTenant();
  const owner = await api.signIn({ orgId: tenant, orgRole: "owner", email: "owner@fuzz.test" });
  // The fuzzer runs for minutes: a token that outlives it.
  const ownerToken = await api.issuer.mint({
    sub: owner.sub,
    orgId: tenant,
    orgRole: "owner",
    expiresIn: "2h",
  });
  const project = await f.createProject(ownerToken, "Fuzzed project");
  const { agent, apiKey } = await f.registerAgent(ownerToken, "fuzz-agent", {
    capabilities: ["code"],
    scopes: { projectIds: null, actions: ["read", "write_tasks", "claim", "comment", "manage"] },
  });
  await f.addMember(ownerToken, project.id, agent.id, "admin");
  const post = async <T>(path: string, body: unknown) => {
    const res = await api.call<T>("POST", path, { token: ownerToken, body });
    if (res.status !== 201 && res.status !== 200)
      throw new Error(`seeding ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const task = await post<{ id: string }>(`/api/projects/${project.id}/tasks`, {
    title: "Seeded task",
    description: "for the fuzzer",
    assigneeId: agent.id,
    tags: ["fuzz"],
  });
  const other = await post<{ id: string }>(`/api/projects/${project.id}/tasks`, { title: "Another task" });
  const subtask = await post<{ id: string }>(`/api/tasks/${task.id}/subtasks`, { title: "A subtask" });
  await post(`/api/tasks/${task.id}/dependencies`, { dependsOnId: other.id });
  await post(`/api/tasks/${task.id}/comments`, { body: "a first comment" });
  const hook = { url: "https://93.184.215.14/taskflow", events: ["task.*"] };
  const webhook = await post<{ id: string }>(`/api/projects/${project.id}/webhooks`, hook);
  // What destructive operations get, so the seeded organization stays reachable for the rest.
  const victimProject = await f.createProject(ownerToken, "Doomed project");
  const victimAgent = await f.registerAgent(ownerToken, "doomed-agent");
  const colleague = await api.signIn({ orgId: tenant, orgRole: "member" });
  await f.addMember(ownerToken, project.id, colleague.workerId, "member");
  const victimTask = await post<{ id: string }>(`/api/projects/${project.id}/tasks`, {
    title: "Doomed task",
  });
  const victimWebhook = await post<{ id: string }>(`/api/projects/${project.id}/webhooks`, hook);
  // The owner's inbox holds something: the colleague assigns them a task.
  const assigned = await api.call<{ id: string }>("POST", `/api/projects/${project.id}/tasks`, {
    token: colleague.token,
    body: { title: "For the owner", assigneeId: owner.workerId },
  });
  if (assigned.status !== 201) throw new Error(`seeding a notification: ${assigned.status}`);
  const [notification] = await api.db
    .select({ id: schema.notifications.id })
    .from(schema.notifications)
    .where(eq(schema.notifications.recipientId, owner.workerId));
  if (!notification) throw new Error("seeding a notification: none");

  return {
    api,
    baseUrl: api.baseUrl,
    tenant,
    ownerToken,
    ownerWorkerId: owner.workerId,
    agentId: agent.id,
    agentKey: apiKey.key,
    agentKeyId: apiKey.id,
    projectId: project.id,
    taskId: task.id,
    otherTaskId: other.id,
    subtaskId: subtask.id,
    webhookId: webhook.id,
    notificationId: notification.id,
    victims: {
      projectId: victimProject.id,
      agentId: victimAgent.agent.id,
      agentKeyId: victimAgent.apiKey.id,
      memberId: colleague.workerId,
      taskId: victimTask.id,
      webhookId: victimWebhook.id,
    },
    close: () => api.close(),
  };
}
