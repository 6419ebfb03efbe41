import { describe, expect, it } from "vitest";
import { z } from "zod";
import { EnvError, envIssues } from "../src/env-error.ts";

describe("EnvError", () => {
  it("names every bad variable in one line, from the schema's complaints", () => {
    const schema = z.object({
      PORT: z.coerce.number().int(),
      DATABASE_URL: z.string().startsWith("postgres://"),
    });
    const result = schema.safeParse({ PORT: "not-a-port", DATABASE_URL: "mysql://db/x" });
    expect(result.success).toBe(false);
    const error = new EnvError("apps/example", result.error ? envIssues(result.error) : []);
    expect(error.issues.map((issue) => issue.variable)).toEqual(["PORT", "DATABASE_URL"]);
    expect(error.message).toMatch(/^invalid environment for apps\/example: PORT: .+; DATABASE_URL: .+$/);
    expect(error.message).not.toContain("\n");
  });
});
