import type { RunActivity } from "@taskflow/contracts";
import { describe, expect, it } from "vitest";
import { describeAudit } from "../src/lib/audit-text.ts";
import {
  firstLine,
  openQuestions,
  runNeedsLook,
  showParameters,
  visibleActivities,
} from "../src/lib/run-view.ts";

const activity = (seq: number, fields: Partial<RunActivity> = {}): RunActivity => ({
  id: `a${seq}`,
  runId: "r",
  seq,
  type: "thought",
  authorId: null,
  body: `body ${seq}`,
  ephemeral: false,
  signal: null,
  action: null,
  elicitation: null,
  answer: null,
  createdAt: "2026-12-03T10:00:00.000Z",
  ...fields,
});

describe("the run view", () => {
  it("shows an ephemeral thought only while it is the latest activity", () => {
    const passing = activity(2, { ephemeral: true });
    expect(visibleActivities([activity(1), passing]).map((a) => a.seq)).toEqual([1, 2]);
    expect(visibleActivities([activity(1), passing, activity(3)]).map((a) => a.seq)).toEqual([1, 3]);
  });

  it("offers an answer form for the questions nobody answered", () => {
    const open = activity(1, {
      type: "elicitation",
      elicitation: { choices: null, multiple: false, askedOfId: null, answeredById: null },
    });
    const answered = activity(2, {
      type: "elicitation",
      elicitation: { choices: null, multiple: false, askedOfId: null, answeredById: "a3" },
    });
    expect([...openQuestions([open, answered, activity(3)])]).toEqual(["a1"]);
  });

  it("marks stale and error runs, and those asking a question", () => {
    expect(runNeedsLook({ state: "stale" })).toBe("stale");
    expect(runNeedsLook({ state: "error" })).toBe("error");
    expect(runNeedsLook({ state: "awaiting_input" })).toBe("question");
    expect(runNeedsLook({ state: "active" })).toBeNull();
  });

  it("summarizes a thought by its first line and shows parameters as JSON text", () => {
    expect(firstLine("one\ntwo")).toBe("one");
    expect(firstLine("x".repeat(200), 10)).toBe(`${"x".repeat(9)}…`);
    expect(showParameters({ html: "<b>bold</b>" })).toBe('{\n  "html": "<b>bold</b>"\n}');
  });

  it("tells a run's audit entries in words", () => {
    const workers = new Map();
    expect(describeAudit({ action: "run.elicitation", before: null, after: {} }, workers)).toBe(
      "asked a question",
    );
    expect(
      describeAudit({ action: "run.action", before: null, after: { action: { tool: "grep" } } }, workers),
    ).toBe("used grep");
    expect(describeAudit({ action: "run.prompt", before: null, after: { signal: "stop" } }, workers)).toBe(
      "asked the agent to stop",
    );
    expect(
      describeAudit({ action: "run.prompt", before: null, after: { answer: { selected: ["a"] } } }, workers),
    ).toBe("answered the agent's question");
    expect(describeAudit({ action: "run.response", before: null, after: {} }, workers)).toBe("responded");
  });
});
