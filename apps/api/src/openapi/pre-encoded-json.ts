import type { Context, TypedResponse } from "hono";

/**
 * A body that is already the JSON text of what the route declares (listTasksJson: PostgreSQL wrote it), sent as
 * it is. It is what `c.json` sends (the same response, the same `Content-Type: application/json`) without the
 * object and the JSON.stringify behind it. Hono types a JSON response only from the object it stringifies
 * itself, so here the text is declared to be `T`'s: the test that holds the text equal to the object the same
 * read returns (apps/api/test/task-list-json.integration.test.ts) is what makes the declaration true.
 */
export function preEncodedJson<T>(
  c: Context,
  text: string,
  status: 200,
): Response & TypedResponse<T, 200, "json"> {
  // c.body, not a new Response: the headers middleware set on the context (rate limits, request id) go with it.
  const response: Response = c.body(text, status, { "content-type": "application/json" });
  return response as Response & TypedResponse<T, 200, "json">;
}
