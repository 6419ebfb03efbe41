import type { AuditEntry } from "@taskflow/contracts";
import { describe, expect, it } from "vitest";
import {
  activityProjects,
  agentsAtWork,
  byUrgency,
  myOpenTasks,
  recentActivity,
  relativeTime,
  waitingForReview,
} from "../src/lib/home.ts";
import { ada, bot, task } from "./support.ts";

const now = new Date("2026-03-01T12:00:00.000Z");

describe("the home page's panels", () => {
  it("my tasks: open ones assigned to me, soonest due first, then priority", () => {
    const late = task({ assignee: ada, dueAt: "2026-03-10T00:00:00.000Z", title: "late" });
    const soon = task({ assignee: ada, dueAt: "2026-03-02T00:00:00.000Z", title: "soon" });
    const undatedCritical = task({ assignee: ada, priority: "critical", title: "critical" });
    const undatedLow = task({ assignee: ada, priority: "low", title: "low" });
    const done = task({ assignee: ada, status: "completed" });
    const theirs = task({ assignee: bot });
    expect(
      myOpenTasks([undatedLow, late, done, theirs, soon, undatedCritical, soon], ada.id).map((t) => t.title),
    ).toEqual(["soon", "late", "critical", "low"]);
  });

  it("waiting for my review: in review, only where I am an admin or owner", () => {
    const mine = task({ status: "review", projectId: "owned" });
    const admin = task({ status: "review", projectId: "admin" });
    const notMine = task({ status: "review", projectId: "member" });
    const working = task({ status: "in_progress", projectId: "owned" });
    const projects = [
      { id: "owned", role: "owner" as const },
      { id: "admin", role: "admin" as const },
      { id: "member", role: "member" as const },
    ];
    expect(waitingForReview([mine, admin, notMine, working], projects)).toEqual([mine, admin]);
  });

  it("agents at work: live claims held by agents, newest claim first; lapsed leases and people left out", () => {
    const claim = (holderId: string, claimedAt: string, leaseExpiresAt: string) => ({
      holderId,
      claimedAt,
      leaseExpiresAt,
    });
    const older = task({
      status: "in_progress",
      claim: claim(bot.id, "2026-03-01T10:00:00.000Z", "2026-03-01T12:05:00.000Z"),
    });
    const newer = task({
      status: "in_progress",
      claim: claim(bot.id, "2026-03-01T11:00:00.000Z", "2026-03-01T12:05:00.000Z"),
    });
    const lapsed = task({
      status: "in_progress",
      claim: claim(bot.id, "2026-03-01T09:00:00.000Z", "2026-03-01T11:59:00.000Z"),
    });
    const person = task({
      status: "in_progress",
      claim: claim(ada.id, "2026-03-01T11:30:00.000Z", "2026-03-01T12:30:00.000Z"),
    });
    expect(agentsAtWork([older, lapsed, person, newer], new Set([bot.id]), now)).toEqual([newer, older]);
  });

  it("orders by urgency and says times in words", () => {
    expect(byUrgency(task({ dueAt: "2026-01-01T00:00:00.000Z" }), task())).toBeLessThan(0);
    expect(relativeTime("2026-03-01T10:00:00.000Z", now)).toBe("2 hours ago");
    expect(relativeTime("2026-03-04T12:00:00.000Z", now)).toBe("in 3 days");
    expect(relativeTime("2026-03-01T11:59:50.000Z", now)).toBe("just now");
  });
});

describe("the home page's recent activity", () => {
  const entry = (id: string, projectId: string): AuditEntry => ({
    id,
    entityType: "task",
    entityId: "t",
    action: "task.created",
    actorId: ada.id,
    actorType: "human",
    channel: "web",
    projectId,
    taskId: null,
    before: null,
    after: { title: `entry ${id}` },
    createdAt: "2026-03-01T11:00:00.000Z",
  });

  it("reads the projects where tasks changed last, then the newest projects, a bounded number", () => {
    const recent = [task({ projectId: "p3" }), task({ projectId: "p1" }), task({ projectId: "p3" })];
    const projects = [{ id: "p1" }, { id: "p2" }, { id: "p3" }, { id: "p4" }];
    expect(activityProjects(recent, projects, 3)).toEqual(["p3", "p1", "p2"]);
    expect(activityProjects([], projects, 2)).toEqual(["p1", "p2"]);
    expect(activityProjects(recent, [], 5)).toEqual(["p3", "p1"]);
  });

  it("merges the projects' entries newest first (by sequence, not as text), without repeats, bounded", () => {
    const merged = recentActivity(
      [
        [entry("10", "p1"), entry("9", "p1")],
        [entry("11", "p2"), entry("2", "p2"), entry("10", "p1")],
      ],
      3,
    );
    expect(merged.map((e) => e.id)).toEqual(["11", "10", "9"]);
  });
});
