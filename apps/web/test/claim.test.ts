import type { Task } from "@taskflow/contracts";
import { describe, expect, it } from "vitest";
import { liveClaim } from "../src/lib/claim.ts";

const now = new Date("2026-05-01T12:00:00Z");
const claim = {
  holderId: "11111111-1111-4111-8111-111111111111",
  claimedAt: "2026-05-01T11:55:00.000Z",
  leaseExpiresAt: "2026-05-01T12:05:00.000Z",
};

describe("the claim the task page shows", () => {
  it("is a live claim on work in progress", () => {
    expect(liveClaim({ status: "in_progress", claim }, now)).toEqual(claim);
  });

  it("is none once the work is handed in or stopped, whatever a row still says", () => {
    for (const status of ["review", "completed", "blocked", "pending"] as Task["status"][]) {
      expect(liveClaim({ status, claim }, now), status).toBeNull();
    }
  });

  it("is none once the lease ran out, before the sweep returns the task", () => {
    expect(
      liveClaim({ status: "in_progress", claim: { ...claim, leaseExpiresAt: now.toISOString() } }, now),
    ).toBeNull();
    expect(liveClaim({ status: "in_progress", claim: null }, now)).toBeNull();
  });
});
