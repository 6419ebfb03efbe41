import type { z } from "zod";

/** One bad or missing variable, and what is wrong with it. */
export interface EnvIssue {
  variable: string;
  message: string;
}

/**
 * Thrown by a service's parseEnv, naming every bad or missing variable at once, so one failed
 * start-up tells the operator everything to fix. The message is one line: it reads the same on
 * stderr and inside a JSON log line.
 */
export class EnvError extends Error {
  readonly issues: EnvIssue[];
  constructor(service: string, issues: EnvIssue[]) {
    super(
      `invalid environment for ${service}: ${issues.map((issue) => `${issue.variable}: ${issue.message}`).join("; ")}`,
    );
    this.name = "EnvError";
    this.issues = issues;
  }
}

/** A schema's complaints about the environment, one per variable (the first key of each path). */
export function envIssues(error: z.ZodError): EnvIssue[] {
  return error.issues.map((issue) => ({
    variable: String(issue.path[0] ?? "environment"),
    message: issue.message,
  }));
}
