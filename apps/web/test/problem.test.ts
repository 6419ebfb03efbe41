import { describe, expect, it } from "vitest";
import { asProblem, explainForbidden, fieldErrors, problemMessage } from "../src/lib/problem.ts";

describe("problem → form", () => {
  it("maps errors[] to form fields", () => {
    expect(
      fieldErrors({
        errors: [
          { field: "body.title", message: "Too small: expected string to have >=1 characters" },
          { field: "body.tags.2", message: "too long" },
          { field: "body.tags.3", message: "empty" },
          { field: "body.recurrence.pattern", message: "invalid option" },
          { field: "query.limit", message: "too big" },
          { field: "", message: "give at least one field" },
        ],
      }),
    ).toEqual({
      title: "Too small: expected string to have >=1 characters",
      tags: "too long; empty",
      recurrence: "invalid option",
      limit: "too big",
      form: "give at least one field",
    });
    expect(fieldErrors(undefined)).toEqual({});
  });

  it("explains a refused move with the allowed transitions", () => {
    expect(
      problemMessage({
        title: "Conflict",
        detail: "A pending task cannot move to completed.",
        allowed: ["in_progress", "blocked"],
      }),
    ).toBe("A pending task cannot move to completed. Allowed from here: In progress, Blocked.");
    expect(problemMessage({ title: "Forbidden" })).toBe("Forbidden");
    expect(problemMessage({ title: "x", detail: "Done.", allowed: [] })).toBe(
      "Done. No move is allowed from here.",
    );
    expect(problemMessage(undefined, "fallback")).toBe("fallback");
  });

  it("wraps a non-problem body", () => {
    expect(asProblem(502, "<html>")).toMatchObject({ status: 502, title: "The API answered 502" });
    const problem = { type: "t", title: "Not found", status: 404, code: "not_found" };
    expect(asProblem(404, problem)).toBe(problem);
  });
});

describe("role refusals, explained", () => {
  it("turns the API's 403 into who may do it and what to ask for", () => {
    const problem = {
      type: "about:blank",
      title: "Forbidden",
      status: 403,
      code: "forbidden",
      detail: "your role in this project (member) does not allow task.review",
    };
    expect(problemMessage(problem)).toBe(
      "You are a member of this project; approving or rejecting tasks in review takes an admin or above. Ask a project owner or admin to do it or to change your role.",
    );
    expect(explainForbidden("your role in this project (admin) does not allow project.delete")).toContain(
      "deleting the project takes an owner",
    );
    expect(explainForbidden("your key may not manage")).toBeUndefined();
  });

  it("a change made meanwhile (412) says to reload", () => {
    expect(problemMessage({ status: 412, title: "Precondition failed" })).toMatch(
      /^Someone changed this task/,
    );
  });
});
