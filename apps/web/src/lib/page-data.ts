// What a page does with the API's answer to a read it needs: the data, or the page a person should see instead.
import type { Problem } from "@taskflow/contracts";
import { notFound } from "next/navigation";
import type { ApiResult } from "./api-client";

export class ApiProblem extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.name = "ApiProblem";
    this.problem = problem;
  }
}

/**
 * The data; otherwise the not-found page (an HTTP 404) when the person may not see it: the API's 404, its 403
 * (a page for the organization's owners and admins, such as an agent's, opened by a member: the refusal is an
 * answer about the person, not a fault), or a 400 naming a path parameter (an id in the address that is not even
 * an id). Anything else is a fault for the error boundary. A page whose address carries a query the API may
 * refuse (a cursor, filters) checks that first and says so (activity-page.ts, the task list).
 */
export function pageData<T>(result: ApiResult<T>): T {
  if (result.ok) return result.data;
  if (result.status === 404 || result.status === 403 || isBadPathParameter(result.status, result.problem)) {
    notFound();
  }
  throw new ApiProblem(result.problem);
}

function isBadPathParameter(status: number, problem: Problem): boolean {
  return status === 400 && (problem.errors ?? []).some((error) => error.field.startsWith("path."));
}

/** Whether the API refused the request's query parameter `name` (`query.<name>`, a 400 or a 422). */
export function refusedQueryParameter(result: ApiResult<unknown>, name: string): boolean {
  return (
    !result.ok &&
    (result.status === 400 || result.status === 422) &&
    (result.problem.errors ?? []).some((error) => error.field === `query.${name}`)
  );
}
