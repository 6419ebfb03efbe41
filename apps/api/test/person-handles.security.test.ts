import type { Worker } from "@taskflow/contracts";
import { renameEmailDerivedHandles, schema } from "@taskflow/core";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fixtures } from "./support/fixtures.ts";
import { startTestApi, type TestApi } from "./support/test-api.ts";

/**
 * Red-team finding 8: a person's handle was the local part of their email address (`alice@a.example`
 * → `@alice`), and agents, who must never see an address, read it on every worker they see
 * (`GET /api/workers?type=human` as an agent key). Handles now come from the name; handles made of an
 * address before are made again from the name when the API starts (renameEmailDerivedHandles).
 */

let api: TestApi;
let fx: ReturnType<typeof fixtures>;
beforeAll(async () => {
  api = await startTestApi();
  fx = fixtures(api);
});
afterAll(() => api.close());

/** An owner, a project, and an agent with a read key in it: the agent's view of people. */
async function withAgent() {
  const orgId = api.newTenant();
  const owner = await api.signIn({ orgId, orgRole: "owner", email: "owner@corp.test", name: "Olga Owner" });
  const project = await fx.createProject(owner.token, "Shared");
  const { agent, apiKey } = await fx.registerAgent(owner.token, "@reader", { scopes: { actions: ["read"] } });
  await fx.addMember(owner.token, project.id, agent.id);
  const agentSees = async () => {
    const res = await api.call<Worker[]>("GET", "/api/workers?type=human", { token: apiKey.key });
    expect(res.status).toBe(200);
    return res.body;
  };
  const join = async (workerId: string) => fx.addMember(owner.token, project.id, workerId);
  return { orgId, owner, project, agentSees, join };
}

describe("a person's handle never holds their email address", () => {
  it("is made of the name for a new person, never of the address", async () => {
    const { orgId, agentSees, join } = await withAgent();
    const alice = await api.signIn({
      orgId,
      orgRole: "member",
      email: "a.liddell.1865@a.example",
      name: "Alice",
    });
    // A client that fills the name with the address, and a name with no usable letters.
    const filled = await api.signIn({
      orgId,
      orgRole: "member",
      email: "x.hidden@a.example",
      name: "x.hidden@a.example",
    });
    const symbols = await api.signIn({ orgId, orgRole: "member", email: "kanji.user@a.example", name: "李" });
    for (const person of [alice, filled, symbols]) await join(person.workerId);

    const seen = await agentSees();
    const byId = new Map(seen.map((w) => [w.id, w]));
    expect(byId.get(alice.workerId)?.handle).toBe("@alice");
    expect(byId.get(filled.workerId)?.handle).toMatch(/^@person(-\d+)?$/);
    expect(byId.get(symbols.workerId)?.handle).toMatch(/^@person(-\d+)?$/);
    const shown = JSON.stringify(seen);
    for (const local of ["liddell", "1865", "hidden", "kanji", "@a.example"])
      expect(shown).not.toContain(local);
    expect(seen.every((w) => w.email === null)).toBe(true);
  });

  it("renames a handle an earlier release made of the address, and its name filled from it", async () => {
    const { orgId, owner, agentSees, join } = await withAgent();
    // Two people as earlier releases created them: the handle is the address's local part, and for
    // the one who signed in without a name, the name too.
    const [alice, quiet] = await api.db
      .insert(schema.workers)
      .values([
        {
          tenantId: orgId,
          kind: "human",
          userId: "u-alice",
          handle: "@alice",
          name: "Alice Liddell",
          email: "alice@a.example",
        },
        {
          tenantId: orgId,
          kind: "human",
          userId: "u-quiet",
          handle: "@quiet.person",
          name: "quiet.person",
          email: "quiet.person@hidden.test",
        },
      ])
      .returning();
    if (!alice || !quiet) throw new Error("no workers inserted");
    for (const person of [alice, quiet]) await join(person.id);
    // Someone else's handle the rename must not take.
    const taken = await api.signIn({
      orgId,
      orgRole: "member",
      email: "a2@a.example",
      name: "Alice Liddell",
    });
    expect(taken.handle).toBe("@alice-liddell");
    await join(taken.workerId);
    expect((await agentSees()).map((w) => w.handle)).toContain("@alice");

    expect(await renameEmailDerivedHandles(api.db)).toBeGreaterThanOrEqual(2);
    const seen = new Map((await agentSees()).map((w) => [w.id, w]));
    expect(seen.get(alice.id)).toMatchObject({ handle: "@alice-liddell-2", name: "Alice Liddell" });
    expect(seen.get(quiet.id)?.handle).toMatch(/^@person(-\d+)?$/);
    expect(seen.get(quiet.id)?.name).not.toContain("quiet");
    expect(seen.get(taken.workerId)?.handle).toBe("@alice-liddell");

    // Once: a second start renames nothing of theirs, and the change is audited by the system.
    await renameEmailDerivedHandles(api.db);
    const [row] = await api.db.select().from(schema.workers).where(eq(schema.workers.id, alice.id));
    expect(row?.handle).toBe("@alice-liddell-2");
    const audit = await api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.tenantId, orgId), eq(schema.auditLog.action, "worker.handle_changed")));
    expect(audit.map((entry) => [entry.entityId, entry.actorType]).sort()).toEqual(
      [
        [alice.id, "system"],
        [quiet.id, "system"],
      ].sort(),
    );
    // The owner still finds Alice by her address (owners may see it).
    const found = await api.call<Worker[]>("GET", "/api/members/search?q=alice%40a.example", {
      token: owner.token,
    });
    expect(found.body.map((w) => w.id)).toEqual([alice.id]);
  });

  it("leaves a handle the name gives anyway", async () => {
    const orgId = api.newTenant();
    const [ann] = await api.db
      .insert(schema.workers)
      .values({
        tenantId: orgId,
        kind: "human",
        userId: "u-ann",
        handle: "@ann",
        name: "Ann",
        email: "ann@a.example",
      })
      .returning();
    await renameEmailDerivedHandles(api.db);
    const [row] = await api.db
      .select()
      .from(schema.workers)
      .where(eq(schema.workers.id, ann?.id ?? ""));
    expect(row?.handle).toBe("@ann");
    // Someone whose address gives the neutral handle itself is not renamed on every start.
    const [person] = await api.db
      .insert(schema.workers)
      .values({
        tenantId: orgId,
        kind: "human",
        userId: "u-p",
        handle: "@person",
        name: "person",
        email: "person@a.example",
      })
      .returning();
    await renameEmailDerivedHandles(api.db);
    await renameEmailDerivedHandles(api.db);
    const changes = await api.db
      .select()
      .from(schema.auditLog)
      .where(and(eq(schema.auditLog.tenantId, orgId), eq(schema.auditLog.entityId, person?.id ?? "")));
    expect(changes.length).toBeLessThanOrEqual(1);
  });
});
