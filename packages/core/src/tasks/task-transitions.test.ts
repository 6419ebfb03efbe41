import { describe, expect, it } from "vitest";
import { taskStatuses } from "../db/schema/tasks.ts";
import { DomainError } from "../errors.ts";
import {
  allowedTransitions,
  permissionToAttempt,
  taskTransitions,
  transitionPermission,
} from "./task-transitions.ts";

describe("task transitions", () => {
  it("has a row for every status and only moves to other statuses", () => {
    expect(Object.keys(taskTransitions).sort()).toEqual([...taskStatuses].sort());
    for (const from of taskStatuses) {
      expect(allowedTransitions(from)).not.toContain(from);
      for (const to of allowedTransitions(from)) expect(taskStatuses).toContain(to);
    }
  });

  it("can reach completed from every status and leave every status", () => {
    const reachable = new Set<string>(["pending"]);
    for (let changed = true; changed; ) {
      changed = false;
      for (const from of [...reachable]) {
        for (const to of allowedTransitions(from as (typeof taskStatuses)[number])) {
          if (!reachable.has(to)) {
            reachable.add(to);
            changed = true;
          }
        }
      }
    }
    expect([...reachable].sort()).toEqual([...taskStatuses].sort());
  });

  it("needs task.review to leave review, task.work for everything else", () => {
    for (const from of taskStatuses) {
      for (const to of allowedTransitions(from)) {
        expect(transitionPermission(from, to)).toBe(from === "review" ? "task.review" : "task.work");
      }
    }
  });

  it("refuses a move outside the table naming the current status and the allowed moves", () => {
    try {
      transitionPermission("pending", "completed");
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("invalid_transition");
      expect((error as DomainError).details).toEqual({
        current: "pending",
        allowed: ["in_progress", "blocked"],
      });
    }
  });

  it("asks whoever attempts a move for the move's own permission, and task.work for a move outside the table", () => {
    for (const from of taskStatuses) {
      for (const to of taskStatuses) {
        const inTable = allowedTransitions(from).includes(to);
        expect(permissionToAttempt(from, to)).toBe(inTable ? transitionPermission(from, to) : "task.work");
      }
    }
  });
});
