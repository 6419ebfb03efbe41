import { describe, expect, it } from "vitest";
import type { Actor } from "../actor.ts";
import { DomainError } from "../errors.ts";
import { assertKeyAllows, permissionKeyAction, scopeDeniedOf } from "./key-scope.ts";
import { projectPermissions } from "./permissions.ts";

const p = "11111111-1111-4111-8111-111111111111";
const q = "22222222-2222-4222-8222-222222222222";

function agent(scope: Actor["keyScope"]): Actor {
  return {
    tenantId: "org",
    workerId: "33333333-3333-4333-8333-333333333333",
    type: "agent",
    orgRole: null,
    channel: "api",
    keyId: "44444444-4444-4444-8444-444444444444",
    keyScope: scope,
    scopes: null,
  };
}

function refusal(run: () => void): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("assertKeyAllows", () => {
  it("refuses a key without the claim action, naming the missing scope", () => {
    const error = refusal(() =>
      assertKeyAllows(agent({ projectIds: null, actions: ["read", "write_tasks"] }), p, "claim"),
    );
    expect(error.code).toBe("forbidden");
    expect(error.message).toMatch(/lacks the "claim" scope/);
    expect(error.details.scopeDenied).toEqual({ action: "claim", projectId: p });
    expect(scopeDeniedOf(error)).toEqual({ action: "claim", projectId: p });
  });

  it("allows an action the key has, in any project when unscoped, only in its projects otherwise", () => {
    expect(() => assertKeyAllows(agent({ projectIds: null, actions: ["claim"] }), q, "claim")).not.toThrow();
    expect(() => assertKeyAllows(agent({ projectIds: [p], actions: ["claim"] }), p, "claim")).not.toThrow();
    const outside = refusal(() =>
      assertKeyAllows(agent({ projectIds: [p], actions: ["claim"] }), q, "claim"),
    );
    expect(outside.message).toMatch(/not scoped to project/);
    expect(outside.details.scopeDenied).toEqual({ action: "claim", projectId: q });
  });

  it("lets people (no key scope) through", () => {
    const person: Actor = {
      tenantId: "org",
      workerId: "w",
      type: "human",
      orgRole: "member",
      channel: "web",
      scopes: ["taskflow:read", "taskflow:write", "taskflow:manage"],
    };
    expect(() => assertKeyAllows(person, p, "manage")).not.toThrow();
  });

  it("maps every permission of the role table to a key action", () => {
    expect(Object.keys(permissionKeyAction).sort()).toEqual(Object.keys(projectPermissions).sort());
    expect(scopeDeniedOf(new DomainError("forbidden", "role"))).toBeNull();
  });
});
