// The world an effect-matrix file drives: the REST API and the MCP server on loopback over one database,
// reading the SSO's revocation feed (served here on loopback, polled by resource-auth's own poller, as
// start-api and start-mcp read the SSO's), an organization with a project, and every kind of caller issue
// 12 names, each with its credentials for REST, MCP and the dashboard. One world per file, built once.
import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { IssuedAgentKey, IssuedPersonalToken, Project, Worker } from "@taskflow/contracts";
import {
  defaultKeyActions,
  type KeyAction,
  keyActions,
  type OrgRole,
  schema,
  type TaskflowScope,
  taskflowScopes,
} from "@taskflow/core";
import { pollRevokedSubjects, type RevokedSubjects } from "@taskflow/resource-auth";
import { expect } from "vitest";
import { dashboardClientId } from "../../../../api/test/support/test-api.ts";
import { mcpResource, startTestMcp, type TestMcp } from "../../../../mcp-server/test/support/test-mcp.ts";

export type Role = (typeof schema.projectRoles)[number];

/** Someone calling, with a credential for each door, and the facts the rule decides on. */
export interface Caller {
  label: string;
  kind: "person" | "agent";
  /** An SSO access token (OAuth), a personal access token, or an agent API key. */
  credential: "oauth" | "pat" | "key";
  workerId: string;
  /** The organization the caller belongs to. */
  tenantId: string;
  /**
   * The organization role as the API learns it: the token's; a personal access token carries none (core
   * treats it as a member); agents have none.
   */
  orgRole: OrgRole | null;
  /** An agent key's projects (null: all its agent's) and actions; null for people. */
  keyScope: { projectIds: string[] | null; actions: KeyAction[] } | null;
  /** A person's token scopes (OAuth or personal access token); null for agent keys. */
  tokenScopes: TaskflowScope[] | null;
  /** False for a credential that no longer works: revoked, or its person banned. */
  valid: boolean;
  rest: string;
  mcp: string;
  /** The dashboard session's access token (the dashboard's own OAuth client): people signed in only. */
  dashboard: string | null;
}

/** A worker others look at (seeing a person): the name they are known by in a test's answer. */
export interface Subject {
  label: string;
  workerId: string;
  kind: "person" | "agent";
  email: string | null;
}

/** The marker every subject's name holds, to find them all with one search. */
export const subjectMarker = "zq";

const fullScopes: TaskflowScope[] = [...taskflowScopes];
const scopeClaim = (scopes: readonly string[]) => ["openid", ...scopes].join(" ");

/** The SSO's revocation feed, as GET /api/auth/revocations answers it, served on loopback. */
async function serveRevocationFeed() {
  const subjects: { sub: string; revoked_before: number }[] = [];
  const server: Server = createServer((req, res) => {
    if (req.url !== "/api/auth/revocations") return void res.writeHead(404).end();
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ subjects, window_seconds: 16 * 60 }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/auth/revocations`;
  const poller: RevokedSubjects = pollRevokedSubjects({ url, intervalMs: 100 });
  await poller.ready;
  return {
    poller,
    /** Bans a person as the SSO does: their tokens issued before now are void. */
    ban: async (sub: string) => {
      const before = Math.ceil(Date.now() / 1000) + 1;
      subjects.push({ sub, revoked_before: before });
      // The poller learns it within one interval, as the API and the MCP server do.
      const deadline = Date.now() + 5_000;
      while (!poller.isRevoked(sub, before - 1)) {
        if (Date.now() > deadline) throw new Error("the revocation feed was not read within 5 s");
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    close: async () => {
      poller.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startWorld() {
  const feed = await serveRevocationFeed();
  const mcp: TestMcp = await startTestMcp({ revokedSubjects: feed.poller });
  const api = mcp.api;
  const tenantId = api.newTenant();
  const otherTenantId = api.newTenant();
  /** Who is a member of which project, with which role: what the rule is computed from. */
  const memberships = new Map<string, Map<string, Role>>();
  const remember = (projectId: string, workerId: string, role: Role) => {
    const roles = memberships.get(workerId) ?? new Map<string, Role>();
    roles.set(projectId, role);
    memberships.set(workerId, roles);
  };
  const join = async (projectId: string, workerId: string, role: Role) => {
    await api.db.insert(schema.projectMembers).values({ projectId, workerId, role });
    remember(projectId, workerId, role);
  };

  /** A person signed in to the organization, with tokens for the API, the MCP server and the dashboard. */
  const person = async (
    orgId: string,
    orgRole: OrgRole,
    options: { scopes?: TaskflowScope[]; email?: string; name?: string } = {},
  ) => {
    const sub = randomUUID();
    const scope = scopeClaim(options.scopes ?? fullScopes);
    const who = { orgId, sub, orgRole, ...(options.email ? { email: options.email } : {}) };
    const named = options.name ? { name: options.name } : {};
    const signedIn = await api.signIn({ ...who, ...named, extra: { scope } });
    expect(signedIn.workerId).not.toBe("");
    return {
      sub,
      workerId: signedIn.workerId,
      rest: signedIn.token,
      mcp: await api.issuer.mint({ ...who, ...named, audience: mcpResource, extra: { scope } }),
      dashboard: await api.issuer.mint({ ...who, ...named, azp: dashboardClientId, extra: { scope } }),
    };
  };

  // The organization: an owner of the project (not a caller: everything is made in their name), its
  // owners and admins (who register agents), and a second project some workers share instead.
  const owner = await person(tenantId, "member");
  const orgOwner = await person(tenantId, "owner");
  const orgAdmin = await person(tenantId, "admin");
  const newProject = async (token: string, name: string) => {
    const created = await api.call<Project>("POST", "/api/projects", { token, body: { name } });
    expect(created.status).toBe(201);
    return created.body;
  };
  const project = await newProject(owner.rest, "Matrix");
  const elsewhere = await newProject(owner.rest, "Elsewhere");
  remember(project.id, owner.workerId, "owner");
  remember(elsewhere.id, owner.workerId, "owner");

  const agent = async (registrar: string, handle: string, name = handle) => {
    const registered = await api.call<{ agent: Worker; apiKey: IssuedAgentKey }>("POST", "/api/agents", {
      token: registrar,
      body: { handle, name, agentType: "claude-code" },
    });
    expect(registered.status).toBe(201);
    return registered.body.agent.id;
  };
  const keyFor = async (registrar: string, agentId: string, scopes: Caller["keyScope"]) => {
    const key = await api.call<IssuedAgentKey>("POST", `/api/agents/${agentId}/keys`, {
      token: registrar,
      body: {
        scopes: {
          actions: scopes?.actions,
          ...(scopes?.projectIds ? { projectIds: scopes.projectIds } : {}),
        },
      },
    });
    expect(key.status).toBe(201);
    return key.body;
  };
  const personalToken = async (token: string, scopes: TaskflowScope[]) => {
    const issued = await api.call<IssuedPersonalToken>("POST", "/api/personal-tokens", {
      token,
      body: { name: `matrix ${scopes.join(" ")}`, scopes },
    });
    expect(issued.status).toBe(201);
    return issued.body;
  };

  // Whom others see (seeing a person), assign to and delegate to.
  const subjectEmail = (name: string) =>
    `${subjectMarker}-${name}-${randomUUID().slice(0, 8)}@subjects.example`;
  const alice = await person(tenantId, "member", { email: subjectEmail("alice"), name: "Zq Alice" });
  const bob = await person(tenantId, "member", { email: subjectEmail("bob"), name: "Zq Bob" });
  await join(project.id, alice.workerId, "member");
  await join(elsewhere.id, bob.workerId, "member");
  const targetId = await agent(orgOwner.rest, `@${subjectMarker}-target`, "Zq target");
  await join(project.id, targetId, "member");
  const outsiderAgentId = await agent(orgOwner.rest, `@${subjectMarker}-elsewhere`, "Zq elsewhere");
  await join(elsewhere.id, outsiderAgentId, "member");
  const workerEmail = async (workerId: string) =>
    (await api.db.query.workers.findFirst({ where: (w, { eq }) => eq(w.id, workerId) }))?.email ?? null;
  const subjects: Subject[] = [
    {
      label: "alice (shares the project)",
      workerId: alice.workerId,
      kind: "person",
      email: await workerEmail(alice.workerId),
    },
    {
      label: "bob (elsewhere only)",
      workerId: bob.workerId,
      kind: "person",
      email: await workerEmail(bob.workerId),
    },
    { label: "target agent (shares the project)", workerId: targetId, kind: "agent", email: null },
    { label: "agent elsewhere only", workerId: outsiderAgentId, kind: "agent", email: null },
  ];

  const callers: Caller[] = [];
  const personCaller = (
    label: string,
    who: Awaited<ReturnType<typeof person>>,
    tenant: string,
    orgRole: OrgRole,
    scopes: TaskflowScope[] = fullScopes,
    valid = true,
  ): Caller => ({
    label,
    kind: "person",
    credential: "oauth",
    workerId: who.workerId,
    tenantId: tenant,
    orgRole,
    keyScope: null,
    tokenScopes: scopes,
    valid,
    rest: who.rest,
    mcp: who.mcp,
    dashboard: who.dashboard,
  });
  const patCaller = (
    label: string,
    workerId: string,
    token: string,
    scopes: TaskflowScope[],
    valid = true,
  ): Caller => ({
    label,
    kind: "person",
    credential: "pat",
    workerId,
    tenantId,
    // A personal access token carries no organization role: core treats its person as a member.
    orgRole: "member",
    keyScope: null,
    tokenScopes: scopes,
    valid,
    rest: token,
    mcp: token,
    dashboard: null,
  });
  const keyCaller = (
    label: string,
    workerId: string,
    tenant: string,
    key: string,
    scope: Caller["keyScope"],
    valid = true,
  ): Caller => ({
    label,
    kind: "agent",
    credential: "key",
    workerId,
    tenantId: tenant,
    orgRole: null,
    keyScope: scope,
    tokenScopes: null,
    valid,
    rest: key,
    mcp: key,
    dashboard: null,
  });

  // People by project role, and by organization role (not members: their role reaches every project).
  for (const role of schema.projectRoles) {
    const who = await person(tenantId, "member");
    await join(project.id, who.workerId, role);
    callers.push(personCaller(`person (${role})`, who, tenantId, "member"));
  }
  callers.push(personCaller("person (organization owner, no membership)", orgOwner, tenantId, "owner"));
  callers.push(personCaller("person (organization admin, no membership)", orgAdmin, tenantId, "admin"));

  // OAuth access tokens by scope, and personal access tokens by scope: project owners, so only the scope limits.
  for (const scope of taskflowScopes) {
    const who = await person(tenantId, "member", { scopes: [scope] });
    await join(project.id, who.workerId, "owner");
    callers.push(personCaller(`person (owner, token: ${scope} only)`, who, tenantId, "member", [scope]));
  }
  const scripter = await person(tenantId, "member");
  await join(project.id, scripter.workerId, "owner");
  for (const scope of taskflowScopes) {
    const token = await personalToken(scripter.rest, [scope]);
    callers.push(
      patCaller(`personal access token (owner, ${scope} only)`, scripter.workerId, token.token, [scope]),
    );
  }

  // Agent keys by each action (admins of the project, so only the key limits), one member agent with every
  // action (the role limits), and a key scoped to the other project.
  for (const action of keyActions) {
    const agentId = await agent(orgOwner.rest, `@matrix-${action.replace("_", "-")}`);
    await join(project.id, agentId, "admin");
    const scope = { projectIds: null, actions: [action] };
    const key = await keyFor(orgOwner.rest, agentId, scope);
    callers.push(keyCaller(`agent (admin, key: ${action} only)`, agentId, tenantId, key.key, scope));
  }
  {
    const agentId = await agent(orgOwner.rest, "@matrix-member");
    await join(project.id, agentId, "member");
    const scope = { projectIds: null, actions: [...keyActions] };
    const key = await keyFor(orgOwner.rest, agentId, scope);
    callers.push(keyCaller("agent (member, key: every action)", agentId, tenantId, key.key, scope));
  }
  {
    const agentId = await agent(orgOwner.rest, "@matrix-scoped");
    await join(project.id, agentId, "admin");
    await join(elsewhere.id, agentId, "member");
    const scope = { projectIds: [elsewhere.id], actions: [...keyActions] };
    const key = await keyFor(orgOwner.rest, agentId, scope);
    callers.push(
      keyCaller("agent (admin, key scoped to another project)", agentId, tenantId, key.key, scope),
    );
  }

  // Callers whose credential no longer works: a banned person (the SSO's feed), a revoked key, a revoked
  // personal access token; and a person removed from the project.
  const banned = await person(tenantId, "member");
  await join(project.id, banned.workerId, "admin");
  const bannedToken = await personalToken(banned.rest, fullScopes);
  const revokedAgentId = await agent(orgOwner.rest, "@matrix-revoked");
  await join(project.id, revokedAgentId, "admin");
  const everyAction = { projectIds: null, actions: [...keyActions] };
  const revokedKey = await keyFor(orgOwner.rest, revokedAgentId, everyAction);
  expect(
    (
      await api.call("DELETE", `/api/agents/${revokedAgentId}/keys/${revokedKey.id}`, {
        token: orgOwner.rest,
      })
    ).status,
  ).toBe(204);
  const revoker = await person(tenantId, "member");
  await join(project.id, revoker.workerId, "owner");
  const revokedToken = await personalToken(revoker.rest, fullScopes);
  expect(
    (await api.call("DELETE", `/api/personal-tokens/${revokedToken.id}`, { token: revoker.rest })).status,
  ).toBe(204);
  const removed = await person(tenantId, "member");
  await join(project.id, removed.workerId, "admin");
  expect(
    (
      await api.call("DELETE", `/api/projects/${project.id}/members/${removed.workerId}`, {
        token: owner.rest,
      })
    ).status,
  ).toBe(204);
  memberships.get(removed.workerId)?.delete(project.id);
  await feed.ban(banned.sub);
  callers.push(personCaller("banned person (was admin)", banned, tenantId, "member", fullScopes, false));
  callers.push(
    patCaller("banned person's personal access token", banned.workerId, bannedToken.token, fullScopes, false),
  );
  callers.push(
    keyCaller("agent (admin, revoked key)", revokedAgentId, tenantId, revokedKey.key, everyAction, false),
  );
  callers.push(
    patCaller(
      "revoked personal access token (owner)",
      revoker.workerId,
      revokedToken.token,
      fullScopes,
      false,
    ),
  );
  callers.push(personCaller("person removed from the project (was admin)", removed, tenantId, "member"));

  // Another organization: its owner, and an agent with every action, admin of that organization's project.
  const outsider = await person(otherTenantId, "owner");
  const outsiderProject = await newProject(outsider.rest, "Theirs");
  remember(outsiderProject.id, outsider.workerId, "owner");
  callers.push(personCaller("another organization's owner", outsider, otherTenantId, "owner"));
  const foreignAgentId = await agent(outsider.rest, "@matrix-foreign");
  await join(outsiderProject.id, foreignAgentId, "admin");
  const foreignKey = await keyFor(outsider.rest, foreignAgentId, everyAction);
  callers.push(
    keyCaller(
      "another organization's agent (every action)",
      foreignAgentId,
      otherTenantId,
      foreignKey.key,
      everyAction,
    ),
  );

  // One MCP client per caller, connected once as a real client does (null: refused at the door).
  const clients = new Map<string, Promise<Awaited<ReturnType<TestMcp["connect"]>> | null>>();
  const mcpClient = (caller: Caller) => {
    let client = clients.get(caller.label);
    if (!client) {
      client = mcp.connect(caller.mcp).catch(() => null);
      clients.set(caller.label, client);
    }
    return client;
  };

  return {
    mcp,
    api,
    tenantId,
    project,
    elsewhere,
    owner,
    targetId,
    subjects,
    callers,
    defaultKeyActions,
    /** The caller's role in a project by membership (null: none). */
    membershipRole: (workerId: string, projectId: string): Role | null =>
      memberships.get(workerId)?.get(projectId) ?? null,
    /** The projects a worker is a member of. */
    projectsOf: (workerId: string): string[] => [...(memberships.get(workerId)?.keys() ?? [])],
    tenantOf: (projectId: string) => (projectId === outsiderProject.id ? otherTenantId : tenantId),
    remember,
    mcpClient,
    close: async () => {
      for (const client of clients.values()) await (await client)?.close().catch(() => undefined);
      await mcp.close();
      await feed.close();
    },
  };
}

export type World = Awaited<ReturnType<typeof startWorld>>;
