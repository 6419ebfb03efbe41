import { describe, expect, it } from "vitest";
import { matches, paletteCommands, paletteEntries, paletteMatches, stepIndex } from "../src/lib/palette.ts";

const project = { id: "p1", name: "Apollo", canWork: true };
const task = { id: "t1", title: "Fuel check", status: "review", canReview: true };

describe("the command palette", () => {
  it("matches every typed word anywhere in a name, ignoring case and accents", () => {
    expect(matches("Go to project Café Délices", "cafe deli")).toBe(true);
    expect(matches("Open task Fuel check", "check FUEL")).toBe(true);
    expect(matches("Open task Fuel check", "oxygen")).toBe(false);
    expect(matches("anything", "  ")).toBe(true);
  });

  it("offers create, assign to me, each other status and approve on a task in review", () => {
    const labels = paletteCommands({ project, task }, "").map((c) => c.label);
    expect(labels).toEqual([
      "Create a task in Apollo",
      "Assign “Fuel check” to me",
      "Change status of “Fuel check” to Pending",
      "Change status of “Fuel check” to In progress",
      "Change status of “Fuel check” to Blocked",
      "Change status of “Fuel check” to Completed",
      "Approve “Fuel check”",
      "Show keyboard shortcuts",
    ]);
  });

  it("offers no change to a viewer, and only help off a project", () => {
    const viewer = paletteCommands({ project: { ...project, canWork: false }, task }, "");
    expect(viewer.map((c) => c.kind)).toEqual(["approve", "help"]);
    expect(paletteCommands({}, "").map((c) => c.kind)).toEqual(["help"]);
  });

  it("narrows commands to what was typed", () => {
    expect(paletteCommands({ project, task }, "status progress")).toEqual([
      { kind: "status", status: "in_progress", label: "Change status of “Fuel check” to In progress" },
    ]);
  });

  it("lists commands, then projects to go to, then tasks to open", () => {
    const results = paletteMatches(
      "fuel",
      [
        { id: "p1", name: "Fuel systems" },
        { id: "p2", name: "Crew" },
      ],
      [
        { id: "t1", title: "Fuel check", status: "review", projectId: "p1" },
        { id: "t2", title: "Crew meal", status: "pending", projectId: "p2" },
      ],
    );
    const entries = paletteEntries([], results);
    expect(entries).toEqual([
      { kind: "project", id: "p1", label: "Go to project Fuel systems" },
      { kind: "task", id: "t1", label: "Open task Fuel check", hint: "Review" },
    ]);
  });

  it("moves the highlight around the list, wrapping at both ends", () => {
    expect(stepIndex(0, 1, 3)).toBe(1);
    expect(stepIndex(2, 1, 3)).toBe(0);
    expect(stepIndex(0, -1, 3)).toBe(2);
    expect(stepIndex(0, 1, 0)).toBe(-1);
  });
});
