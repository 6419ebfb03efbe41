import { describe, expect, it } from "vitest";
import { commaList, dueFromField, dueToField, recurrenceFromFields, taskFields } from "../src/lib/forms.ts";

describe("form fields → API bodies", () => {
  it("splits comma lists, trimmed, empty and repeated items out", () => {
    expect(commaList(" a, b,,a , c ")).toEqual(["a", "b", "c"]);
    expect(commaList("")).toEqual([]);
  });

  it("reads due dates as UTC and writes them back the same", () => {
    expect(dueFromField("2026-05-01T09:30")).toBe("2026-05-01T09:30:00.000Z");
    expect(dueFromField("")).toBeNull();
    expect(dueFromField("soon")).toBe("soon"); // the API names the field
    expect(dueToField("2026-05-01T09:30:00.000Z")).toBe("2026-05-01T09:30");
    expect(dueToField(null)).toBe("");
  });

  it("builds a recurrence only when a pattern is chosen", () => {
    expect(recurrenceFromFields("", "3")).toBeNull();
    expect(recurrenceFromFields("weekly", "")).toEqual({ pattern: "weekly", max: null });
    expect(recurrenceFromFields("daily", "5")).toEqual({ pattern: "daily", max: 5 });
  });

  it("collects a task's fields", () => {
    const form = new FormData();
    form.set("title", "Check the fuel");
    form.set("tags", "launch, fuel");
    form.set("dueAt", "2026-05-01T09:30");
    form.set("recurrencePattern", "monthly");
    expect(taskFields(form)).toEqual({
      title: "Check the fuel",
      description: "",
      priority: "medium",
      tags: ["launch", "fuel"],
      dueAt: "2026-05-01T09:30:00.000Z",
      recurrence: { pattern: "monthly", max: null },
    });
  });
});
