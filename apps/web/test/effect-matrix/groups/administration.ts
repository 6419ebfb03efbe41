// Adding a member (to a project, or an agent joining projects as it is registered) and managing one's
// personal access tokens: each path driven as its real client drives it, the database saying afterwards
// what happened.
import { randomBytes, randomUUID } from "node:crypto";
import { type EffectName, schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { type ApiClient, createApiClient } from "../../../src/lib/api-client.ts";
import * as m from "../../../src/lib/mutations.ts";
import { type Driver, driversFor, type Group, type Variant } from "../support/matrix.ts";
import type { Caller, World } from "../support/world.ts";

export interface AdminScene {
  /** A worker of the organization to add (adding a member). */
  workerId: string;
  /** A unique name: the agent registered, or the token made. */
  name: string;
  /** A personal access token to revoke. */
  tokenId: string;
}

const form = (fields: Record<string, string | string[]>) => {
  const data = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    for (const one of Array.isArray(value) ? value : [value]) data.append(name, one);
  }
  return data;
};

const dashboard =
  (run: (api: ApiClient, w: World, s: AdminScene) => Promise<unknown>): Driver<AdminScene> =>
  (w, caller, scene) =>
    run(createApiClient(w.api.baseUrl, caller.dashboard ?? ""), w, scene);

const call =
  (
    method: string,
    path: (w: World, s: AdminScene) => string,
    body?: (w: World, s: AdminScene) => unknown,
  ): Driver<AdminScene> =>
  (w, caller, scene) =>
    w.api.call(method, path(w, scene), { token: caller.rest, ...(body ? { body: body(w, scene) } : {}) });

const members = (w: World) => `/api/projects/${w.project.id}/members`;
const agentNamed = (w: World, s: AdminScene) => ({
  handle: `@${s.name}`,
  name: s.name,
  agentType: "claude-code",
  joinProjects: [w.project.id],
});

const drivers: Record<string, Driver<AdminScene>> = {
  "POST /api/projects/{id}/members {member}": call("POST", members, (_, s) => ({
    workerId: s.workerId,
    role: "member",
  })),
  "POST /api/projects/{id}/members {owner}": call("POST", members, (_, s) => ({
    workerId: s.workerId,
    role: "owner",
  })),
  "POST /api/agents {joinProjects}": call("POST", () => "/api/agents", agentNamed),
  "project settings: Add member": dashboard((api, w, s) =>
    m.addMember(api, w.project.id, s.workerId, "member"),
  ),
  "agent form: projects ticked": dashboard((api, w, s) =>
    m.registerAgent(
      api,
      form({
        handle: `@${s.name}`,
        name: s.name,
        agentType: "claude-code",
        capabilities: "",
        joinProjects: [w.project.id],
      }),
    ),
  ),
  "POST /api/personal-tokens": call(
    "POST",
    () => "/api/personal-tokens",
    (_, s) => ({
      name: s.name,
      scopes: ["taskflow:manage"],
    }),
  ),
  "access tokens page: Create": dashboard((api, _, s) =>
    m.createPersonalToken(api, form({ name: s.name, scopes: ["taskflow:manage"] })),
  ),
  "DELETE /api/personal-tokens/{id}": call("DELETE", (_, s) => `/api/personal-tokens/${s.tokenId}`),
  "access tokens page: Revoke": dashboard((api, _, s) => m.revokePersonalToken(api, s.tokenId)),
};

/** An agent of the organization, in no project yet: whom a case adds. */
async function newcomer(w: World): Promise<string> {
  const [row] = await w.api.db
    .insert(schema.workers)
    .values({
      tenantId: w.tenantId,
      kind: "agent",
      handle: `@newcomer-${randomUUID().slice(0, 8)}`,
      name: "Newcomer",
    })
    .returning({ id: schema.workers.id });
  if (!row) throw new Error("no worker");
  return row.id;
}

/** A live personal access token of `workerId` (its secret is never needed: it is only revoked). */
async function liveToken(w: World, workerId: string): Promise<string> {
  const [row] = await w.api.db
    .insert(schema.personalAccessTokens)
    .values({
      tenantId: w.tenantId,
      workerId,
      name: "to revoke",
      lookup: randomBytes(12).toString("hex"),
      salt: randomBytes(16).toString("hex"),
      secretHash: randomBytes(32).toString("hex"),
      lastChars: "abcd",
      scopes: ["taskflow:read"],
      expiresAt: new Date(Date.now() + 86_400_000),
    })
    .returning({ id: schema.personalAccessTokens.id });
  if (!row) throw new Error("no token");
  return row.id;
}

const blank = { workerId: "", name: "", tokenId: "" };

const added = (role: "member" | "owner"): Variant<AdminScene> => ({
  label: `a worker of the organization, in no project, added as ${role}`,
  scene: async (w) => ({ ...blank, workerId: await newcomer(w) }),
  outcome: async (w, scene) => {
    const [membership] = await w.api.db
      .select()
      .from(schema.projectMembers)
      .where(
        and(
          eq(schema.projectMembers.projectId, w.project.id),
          eq(schema.projectMembers.workerId, scene.workerId),
        ),
      );
    return membership?.role === role ? "happened" : "refused";
  },
});

const joined: Variant<AdminScene> = {
  label: "a new agent joining the project as it is registered",
  scene: async () => ({ ...blank, name: `joiner-${randomUUID().slice(0, 8)}` }),
  // One transaction: refused, and no agent is registered either.
  outcome: async (w, scene) => {
    const [agent] = await w.api.db
      .select()
      .from(schema.workers)
      .where(eq(schema.workers.handle, `@${scene.name}`));
    if (!agent) return "refused";
    const [membership] = await w.api.db
      .select()
      .from(schema.projectMembers)
      .where(
        and(eq(schema.projectMembers.projectId, w.project.id), eq(schema.projectMembers.workerId, agent.id)),
      );
    return membership ? "happened" : "registered, not a member";
  },
};

const created: Variant<AdminScene> = {
  label: "a token for the caller",
  scene: async () => ({ ...blank, name: `token-${randomUUID().slice(0, 8)}` }),
  outcome: async (w, scene, caller) => {
    const [token] = await w.api.db
      .select()
      .from(schema.personalAccessTokens)
      .where(eq(schema.personalAccessTokens.name, scene.name));
    if (!token) return "refused";
    return token.workerId === caller.workerId ? "happened" : "made for someone else";
  },
};

const revoked = (whose: "own" | "another person's"): Variant<AdminScene> => ({
  label: whose === "own" ? "the caller's own token" : "another person's token",
  scene: async (w, caller: Caller) => ({
    ...blank,
    tokenId: await liveToken(w, whose === "own" ? caller.workerId : (w.subjects[0]?.workerId ?? "")),
  }),
  outcome: async (w, scene) => {
    const [token] = await w.api.db
      .select()
      .from(schema.personalAccessTokens)
      .where(eq(schema.personalAccessTokens.id, scene.tokenId));
    return token?.revokedAt ? "happened" : "refused";
  },
  // A person revokes only their own tokens: someone else's is not found, whoever asks.
  ...(whose === "own" ? {} : { allows: () => false }),
});

const administrationEffects = [
  "add a member",
  "create a personal access token",
  "revoke a personal access token",
] as const satisfies readonly EffectName[];

export const administrationGroup: Group<AdminScene> = {
  effects: administrationEffects,
  drivers: driversFor(drivers, administrationEffects),
  variants: (effect, path) => {
    if (effect.name === "create a personal access token") return [created];
    if (effect.name === "revoke a personal access token")
      return [revoked("own"), revoked("another person's")];
    if (path.path.includes("joinProjects") || path.path.includes("projects ticked")) return [joined];
    return [added(path.path.endsWith("{owner}") ? "owner" : "member")];
  },
};

export const administrationDrivers = drivers;
