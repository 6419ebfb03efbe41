import type { AuditEntry, WorkerSummary } from "@taskflow/contracts";
import { describe, expect, it } from "vitest";
import { actorName, describeAudit } from "../src/lib/audit-text.ts";
import { ada, bot } from "./support.ts";

const workers = new Map<string, WorkerSummary>([
  [ada.id, ada],
  [bot.id, bot],
]);
const entry = (
  action: string,
  before: unknown,
  after: unknown,
): Pick<AuditEntry, "action" | "before" | "after"> => ({
  action,
  before,
  after,
});

describe("audit entries in words", () => {
  it("names the actor, telling agents and the system apart", () => {
    expect(actorName({ actorId: ada.id, actorType: "human" }, workers)).toBe("Ada");
    expect(actorName({ actorId: bot.id, actorType: "agent" }, workers)).toBe("Bot (agent)");
    expect(actorName({ actorId: null, actorType: "system" }, workers)).toBe("TaskFlow");
    expect(actorName({ actorId: "gone", actorType: "agent" }, workers)).toBe("an agent (agent)");
  });

  it("says what changed", () => {
    expect(
      describeAudit(
        entry(
          "task.status_changed",
          { status: "pending", title: "T" },
          { status: "in_progress", title: "T" },
        ),
        workers,
      ),
    ).toBe("moved “T” from Pending to In progress");
    expect(describeAudit(entry("task.progress_updated", { progress: 10 }, { progress: 60 }), workers)).toBe(
      "reported progress on: 10% → 60%",
    );
    expect(describeAudit(entry("task.assigned", {}, { assigneeId: bot.id, title: "T" }), workers)).toBe(
      "assigned “T” to @bot (agent)",
    );
    expect(
      describeAudit(
        entry(
          "task.updated",
          { title: "A", priority: "low", tags: [] },
          { title: "B", priority: "high", tags: [] },
        ),
        workers,
      ),
    ).toBe("changed title, priority of “B”");
    expect(describeAudit(entry("member.added", null, { workerId: ada.id, role: "admin" }), workers)).toBe(
      "added @ada as admin",
    );
    expect(describeAudit(entry("task.approved", null, { title: "T" }), workers)).toBe("approved “T”");
    expect(describeAudit(entry("webhook.secret_rotated", null, null), workers)).toBe(
      "webhook secret rotated",
    );
  });
});
