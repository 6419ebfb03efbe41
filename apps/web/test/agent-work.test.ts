import type { AuditEntry } from "@taskflow/contracts";
import { describe, expect, it } from "vitest";
import { agentActivity, agentWork, keyState, lastSeen } from "../src/lib/agent-work.ts";
import { ada, bot, task } from "./support.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

describe("what an agent is doing", () => {
  it("separates live claims from tasks merely assigned; lapsed claims count as assigned", () => {
    const claim = (leaseExpiresAt: string) => ({
      holderId: bot.id,
      claimedAt: "2026-03-01T11:00:00.000Z",
      leaseExpiresAt,
    });
    const live = task({ status: "in_progress", assignee: bot, claim: claim("2026-03-01T12:01:00.000Z") });
    const lapsed = task({ status: "in_progress", assignee: bot, claim: claim("2026-03-01T11:59:00.000Z") });
    const assigned = task({ assignee: bot });
    const done = task({ assignee: bot, status: "completed" });
    const other = task({ assignee: ada });
    const work = agentWork(bot.id, [live, lapsed, assigned, done, other, live], now);
    expect(work.claims).toEqual([live]);
    expect(work.assigned.map((t) => t.id).sort()).toEqual([lapsed.id, assigned.id].sort());
  });

  it("its own audit entries, newest first, each once", () => {
    const e = (id: string, actorId: string) => ({ id, actorId }) as AuditEntry;
    expect(
      agentActivity(bot.id, [e("9", bot.id), e("10", bot.id), e("11", ada.id), e("9", bot.id)]).map(
        (x) => x.id,
      ),
    ).toEqual(["10", "9"]);
  });

  it("keys: active, revoked or expired; last seen from their last use", () => {
    expect(keyState({ revokedAt: null, expiresAt: "2026-04-01T00:00:00.000Z" }, now)).toBe("active");
    expect(keyState({ revokedAt: "2026-02-01T00:00:00.000Z", expiresAt: null }, now)).toBe("revoked");
    expect(keyState({ revokedAt: null, expiresAt: "2026-02-01T00:00:00.000Z" }, now)).toBe("expired");
    expect(
      lastSeen([
        { lastUsedAt: null },
        { lastUsedAt: "2026-02-02T00:00:00.000Z" },
        { lastUsedAt: "2026-01-01T00:00:00.000Z" },
      ]),
    ).toBe("2026-02-02T00:00:00.000Z");
    expect(lastSeen([])).toBeUndefined();
  });
});
