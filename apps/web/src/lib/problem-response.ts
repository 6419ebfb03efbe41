// Refusals of the dashboard's own route handlers, as RFC 9457 problem details (the API's format), so bad input
// gets a clear answer a person or a script can read.
export function problemResponse(status: number, title: string, detail: string): Response {
  return new Response(JSON.stringify({ type: "about:blank", title, status, detail }), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store" },
  });
}
