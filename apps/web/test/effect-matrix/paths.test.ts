// Every effect of core's list is driven by one of this folder's matrix files, and no file drives a path
// that is not in the list: a route, tool, dashboard action or stream added to core's list without a
// driver, or an effect without a file, fails here (each file also checks its own drivers).
import { effects } from "@taskflow/core";
import { describe, expect, it } from "vitest";
import { administrationDrivers, administrationGroup } from "./groups/administration.ts";
import { claimsDrivers, claimsGroup } from "./groups/claims.ts";
import { eventsDrivers, eventsGroup } from "./groups/events.ts";
import { readingDrivers, readingGroup } from "./groups/reading.ts";
import { runsDrivers, runsGroup } from "./groups/runs.ts";
import { assignmentGroup, statusGroup, workflowDrivers } from "./groups/workflow.ts";
import { casesOf, pathsOf } from "./support/matrix.ts";

const groups = [
  statusGroup,
  assignmentGroup,
  claimsGroup,
  readingGroup,
  eventsGroup,
  administrationGroup,
  runsGroup,
];

describe("the effect matrix", () => {
  it("drives every effect of core's list, each in one file", () => {
    const driven = groups.flatMap((g) => g.effects);
    expect([...driven].sort()).toEqual(effects.map((e) => e.name).sort());
  });

  it("has a driver for every path of every effect, and none for a path the list does not name", () => {
    const all = {
      ...workflowDrivers,
      ...claimsDrivers,
      ...readingDrivers,
      ...eventsDrivers,
      ...administrationDrivers,
      ...runsDrivers,
    };
    expect(Object.keys(all).sort()).toEqual(pathsOf(effects.map((e) => e.name)).sort());
    for (const group of groups)
      expect(Object.keys(group.drivers).sort()).toEqual(pathsOf(group.effects).sort());
  });

  it("counts its cases", () => {
    const cases = [
      casesOf(statusGroup).length,
      casesOf(assignmentGroup).length,
      casesOf(claimsGroup).length,
      casesOf(readingGroup).length,
      casesOf(eventsGroup).length,
      casesOf(administrationGroup).length,
      casesOf(runsGroup).length,
    ];
    // Printed for the record: effect × path × scene cases, each run for every caller who reaches the path.
    console.info(`effect matrix: ${cases.reduce((a, b) => a + b, 0)} cases (${cases.join(" + ")})`);
    expect(cases.every((n) => n > 0)).toBe(true);
  });
});
