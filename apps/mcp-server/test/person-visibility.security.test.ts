import type { Worker } from "@taskflow/contracts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Era, eras, mcpResource, startTestMcp, type TestMcp } from "./support/test-mcp.ts";

/**
 * Who may see a person, and their email address (packages/core/src/workers/worker-visibility.ts),
 * on every path that shows one: REST `GET /api/workers`, `GET /api/workers/me`,
 * `GET /api/members/search` (by handle, and by a part of the address only the address holds), MCP
 * `taskflow_find_workers` (the same two ways). Every caller looks at every subject on every path, and
 * what it sees is compared with the rule, stated here again on its own:
 *
 * - an email address is seen by the person, the organization's owners and admins, and people who
 *   share a project with the person; never by an agent;
 * - people see everyone of their organization; an agent sees itself and those it shares a project
 *   with; a key without `read` sees nobody; another organization sees nobody.
 */

let mcp: TestMcp;
beforeAll(async () => {
  mcp = await startTestMcp();
});
afterAll(() => mcp.close());

interface Caller {
  name: string;
  kind: "human" | "agent";
  /** For the REST API, and for the MCP server. */
  restToken: string;
  mcpToken: string;
  workerId: string;
  overseer: boolean;
  /** Ids of the projects it is a member of (for an agent: those its key covers too). */
  projects: string[];
  /** Whether its credential may see workers at all (a key's read action). */
  mayRead: boolean;
  tenant: string;
}

interface Subject {
  name: string;
  workerId: string;
  email: string;
  /** A part of the address found nowhere in the handle or name. */
  emailOnly: string;
  handle: string;
  projects: string[];
}

type View = { seen: false } | { seen: true; email: string | null } | { refused: true };

async function world() {
  const { api } = mcp;
  const tenant = api.newTenant();
  const person = async (name: string, orgRole: "admin" | "member") => {
    const domain = `${name}-${tenant.slice(-8)}.mail.test`;
    const email = `${name}@${domain}`;
    const signedIn = await api.signIn({ orgId: tenant, orgRole, email, name: `${name} Example` });
    const mcpToken = await api.issuer.mint({
      orgId: tenant,
      orgRole,
      sub: signedIn.sub,
      audience: mcpResource,
      extra: { scope: "openid taskflow:read taskflow:write" },
    });
    return { ...signedIn, name, email, emailOnly: domain, orgRole, mcpToken };
  };
  const admin = await person("olga", "admin");
  const alice = await person("alice", "member");
  const bob = await person("bob", "member");
  const carol = await person("carol", "member");
  const shared = (
    await api.call<{ id: string }>("POST", "/api/projects", { token: alice.token, body: { name: "Shared" } })
  ).body;
  await api.call("POST", `/api/projects/${shared.id}/members`, {
    token: alice.token,
    body: { workerId: bob.workerId, role: "member" },
  });
  const agent = async (handle: string, actions: string[], inShared: boolean) => {
    const registered = await api.call<{ agent: { id: string }; apiKey: { key: string } }>(
      "POST",
      "/api/agents",
      {
        token: admin.token,
        body: { handle, name: handle, agentType: "bot", scopes: { actions } },
      },
    );
    if (inShared) {
      await api.call("POST", `/api/projects/${shared.id}/members`, {
        token: alice.token,
        body: { workerId: registered.body.agent.id, role: "member" },
      });
    }
    return { id: registered.body.agent.id, key: registered.body.apiKey.key };
  };
  const reader = await agent("@reader-agent", ["read", "write_tasks"], true);
  const blind = await agent("@blind-agent", ["write_tasks"], true);
  const loner = await agent("@loner-agent", ["read"], false);
  const outsider = await api.signIn({
    orgId: api.newTenant(),
    orgRole: "owner",
    email: "eve@elsewhere.test",
  });
  const outsiderMcp = await api.issuer.mint({ orgId: "other", sub: outsider.sub, audience: mcpResource });

  const humanCaller = (p: Awaited<ReturnType<typeof person>>, projects: string[]): Caller => ({
    name: p.name,
    kind: "human",
    restToken: p.token,
    mcpToken: p.mcpToken,
    workerId: p.workerId,
    overseer: p.orgRole === "admin",
    projects,
    mayRead: true,
    tenant,
  });
  const agentCaller = (
    name: string,
    a: { id: string; key: string },
    projects: string[],
    mayRead: boolean,
  ) => ({
    name,
    kind: "agent" as const,
    restToken: a.key,
    mcpToken: a.key,
    workerId: a.id,
    overseer: false,
    projects,
    mayRead,
    tenant,
  });
  // The admin's personal access token: the admin, without the organization role (a token carries none).
  const adminsToken = await api.call<{ token: string }>("POST", "/api/personal-tokens", {
    token: admin.token,
    body: { name: "Directory script", scopes: ["taskflow:read"] },
  });
  expect(adminsToken.status).toBe(201);
  const callers: Caller[] = [
    humanCaller(admin, []),
    {
      ...humanCaller(admin, []),
      name: "olga's personal access token",
      restToken: adminsToken.body.token,
      mcpToken: adminsToken.body.token,
      overseer: false,
    },
    humanCaller(alice, [shared.id]),
    humanCaller(bob, [shared.id]),
    humanCaller(carol, []),
    agentCaller("reader agent", reader, [shared.id], true),
    agentCaller("agent without read", blind, [shared.id], false),
    agentCaller("agent in no project", loner, [], true),
    {
      name: "another organization's owner",
      kind: "human",
      restToken: outsider.token,
      mcpToken: outsiderMcp,
      workerId: outsider.workerId,
      overseer: true,
      projects: [],
      mayRead: true,
      tenant: "elsewhere",
    },
  ];
  const subject = (p: Awaited<ReturnType<typeof person>>, projects: string[]): Subject => ({
    name: p.name,
    workerId: p.workerId,
    email: p.email,
    emailOnly: p.emailOnly,
    handle: p.handle,
    projects,
  });
  const subjects = [
    subject(admin, []),
    subject(alice, [shared.id]),
    subject(bob, [shared.id]),
    subject(carol, []),
  ];
  return { callers, subjects, tenant };
}

/** The rule, restated. Every subject is a person of `tenant`. */
function expected(caller: Caller, subject: Subject, tenant: string): View {
  if (!caller.mayRead) return { refused: true };
  if (caller.tenant !== tenant) return { seen: false };
  const self = caller.workerId === subject.workerId;
  const shares = caller.projects.some((p) => subject.projects.includes(p));
  if (caller.kind === "agent") return shares ? { seen: true, email: null } : { seen: false };
  return { seen: true, email: self || shares || caller.overseer ? subject.email : null };
}

type Path = {
  name: string;
  look(caller: Caller, subject: Subject): Promise<View>;
  applies?(c: Caller, s: Subject): boolean;
};

const fromList = (workers: Worker[], subject: Subject): View => {
  const found = workers.find((w) => w.id === subject.workerId);
  return found ? { seen: true, email: found.email } : { seen: false };
};

/** The MCP path, in one protocol era (both are swept). */
function findWorkersByHandle(era: Era): Path {
  return {
    name: `MCP (${era}) taskflow_find_workers by handle`,
    look: async (caller, subject) => {
      const client = await mcp.connect(caller.mcpToken, era);
      try {
        const result = await client.call<{ workers: Worker[] }>("taskflow_find_workers", {
          q: subject.handle,
        });
        if (result.isError) {
          expect(result.text).toMatch(/read/);
          return { refused: true };
        }
        return fromList(result.data.workers, subject);
      } finally {
        await client.close();
      }
    },
  };
}

/** The MCP email search, in one protocol era (both are swept). */
function findWorkersByEmail(era: Era): Path {
  return {
    name: `MCP (${era}) taskflow_find_workers by email`,
    look: async (caller, subject) => {
      const client = await mcp.connect(caller.mcpToken, era);
      try {
        const result = await client.call<{ workers: Worker[] }>("taskflow_find_workers", {
          q: subject.emailOnly,
        });
        if (result.isError) return { refused: true };
        return fromList(result.data.workers, subject);
      } finally {
        await client.close();
      }
    },
  };
}

const paths: Path[] = [
  {
    name: "REST GET /api/workers",
    look: async (caller, subject) => {
      const res = await mcp.api.call<Worker[]>("GET", "/api/workers", { token: caller.restToken });
      if (res.status === 403) return { refused: true };
      expect(res.status).toBe(200);
      return fromList(res.body, subject);
    },
  },
  {
    name: "REST GET /api/members/search by handle",
    look: async (caller, subject) => {
      const q = encodeURIComponent(subject.handle);
      const res = await mcp.api.call<Worker[]>("GET", `/api/members/search?q=${q}`, {
        token: caller.restToken,
      });
      if (res.status === 403) return { refused: true };
      expect(res.status).toBe(200);
      return fromList(res.body, subject);
    },
  },
  {
    name: "REST GET /api/workers/me",
    applies: (caller, subject) => caller.workerId === subject.workerId,
    look: async (caller, subject) => {
      const res = await mcp.api.call<Worker>("GET", "/api/workers/me", { token: caller.restToken });
      expect(res.status).toBe(200);
      return fromList([res.body], subject);
    },
  },
  ...eras.map(findWorkersByHandle),
];

/** Searching by a part only the email address holds finds the person exactly when the address may be seen. */
const emailSearches: Path[] = [
  {
    name: "REST GET /api/members/search by email",
    look: async (caller, subject) => {
      const q = encodeURIComponent(subject.emailOnly);
      const res = await mcp.api.call<Worker[]>("GET", `/api/members/search?q=${q}`, {
        token: caller.restToken,
      });
      if (res.status === 403) return { refused: true };
      return fromList(res.body, subject);
    },
  },
  ...eras.map(findWorkersByEmail),
];

describe("who sees a person and their email address, on every path", () => {
  it("matches the rule for every caller, subject and path", async () => {
    const { callers, subjects, tenant } = await world();
    const mismatches: string[] = [];
    for (const caller of callers) {
      for (const subject of subjects) {
        const rule = expected(caller, subject, tenant);
        for (const path of paths) {
          if (path.applies && !path.applies(caller, subject)) continue;
          const got = await path.look(caller, subject);
          if (JSON.stringify(got) !== JSON.stringify(rule)) {
            mismatches.push(
              `${path.name}: ${caller.name} → ${subject.name}: ${JSON.stringify(got)}, rule ${JSON.stringify(rule)}`,
            );
          }
        }
        // By email: found (with the address) only where the address may be seen.
        const byEmail: View =
          "refused" in rule
            ? rule
            : rule.seen && rule.email
              ? { seen: true, email: subject.email }
              : { seen: false };
        for (const path of emailSearches) {
          const got = await path.look(caller, subject);
          if (JSON.stringify(got) !== JSON.stringify(byEmail)) {
            mismatches.push(
              `${path.name}: ${caller.name} → ${subject.name}: ${JSON.stringify(got)}, rule ${JSON.stringify(byEmail)}`,
            );
          }
        }
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("never names a person after their email address", async () => {
    const { api } = mcp;
    const tenant = api.newTenant();
    const nameless = await api.signIn({
      orgId: tenant,
      orgRole: "member",
      email: "quiet.person@hidden.test",
      name: "",
    });
    const me = await api.call<Worker>("GET", "/api/workers/me", { token: nameless.token });
    expect(me.body.email).toBe("quiet.person@hidden.test");
    expect(me.body.name).not.toContain("@");
    expect(me.body.name).not.toContain("hidden.test");
  });
});
