import { describe, expect, it } from "vitest";
import {
  asProblem,
  explainForbidden,
  fieldErrors,
  formMessage,
  plainFieldMessage,
  problemMessage,
} from "../src/lib/problem.ts";

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
      title: "Required.",
      tags: "too long; empty",
      recurrence: "invalid option",
      limit: "too big",
      form: "give at least one field",
    });
    expect(fieldErrors(undefined)).toEqual({});
  });

  it("says a field's requirement once when spaces alone break two rules", () => {
    expect(
      fieldErrors({
        errors: [
          { field: "body.agentType", message: "must not be blank or contain NUL (\\u0000) characters" },
          { field: "body.agentType", message: "Too small: expected string to have >=1 characters" },
        ],
      }),
    ).toEqual({ agentType: "Required: more than spaces." });
  });

  it("words the validator's field errors as a person reads them, and leaves the API's own sentences", () => {
    expect(plainFieldMessage("Too small: expected string to have >=1 characters")).toBe("Required.");
    expect(plainFieldMessage("Invalid input: expected string, received undefined")).toBe("Required.");
    expect(plainFieldMessage("must not be blank or contain NUL (\\u0000) characters")).toBe(
      "Required: more than spaces.",
    );
    expect(plainFieldMessage("Too small: expected string to have >=3 characters")).toBe(
      "At least 3 characters.",
    );
    expect(plainFieldMessage("Too big: expected string to have <=100 characters")).toBe(
      "At most 100 characters.",
    );
    expect(plainFieldMessage("Too big: expected array to have <=50 items")).toBe("At most 50.");
    expect(plainFieldMessage("no such project in this organization")).toBe(
      "no such project in this organization",
    );
  });

  it("does not say a field's error a second time above the form: it points at the marked fields", () => {
    const detail = "body.agentType: Too small: expected string to have >=1 characters";
    expect(formMessage(detail, { agentType: "Required." })).toBe("Check the marked field.");
    expect(formMessage(detail, { agentType: "Required.", name: "Required." })).toBe(
      "Check the marked fields.",
    );
    expect(formMessage("The handle is taken.", {})).toBe("The handle is taken.");
    expect(formMessage("give at least one field", { form: "give at least one field" })).toBe(
      "give at least one field",
    );
    expect(formMessage(undefined, undefined)).toBeUndefined();
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
