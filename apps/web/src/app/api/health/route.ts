export const dynamic = "force-dynamic";

/** Liveness and readiness: the server answers. It never calls the SSO or the API. */
export function GET() {
  return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
}
