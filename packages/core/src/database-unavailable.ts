/**
 * Whether an error means the database cannot be reached right now (stopped, restarting, failing
 * over, out of connections, the network between us gone), as opposed to a bug or a bad request:
 * those answer 503 with Retry-After, and the client may simply try again. The driver's error is
 * often wrapped (Drizzle's DrizzleQueryError keeps it as `cause`), so the whole chain is read.
 * Here in core so both transports (the API, the MCP server) can ask the same question.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error; e && typeof e === "object"; e = (e as { cause?: unknown }).cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && unavailableCodes.has(code)) return true;
    const message = (e as { message?: unknown }).message;
    if (typeof message === "string" && unavailableMessages.test(message)) return true;
  }
  return false;
}

const unavailableCodes = new Set([
  // The network: refused, reset, timed out, broken pipe, no route, the name not resolving.
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  // PostgreSQL: admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting
  // down), too_many_connections, connection_failure, sqlclient_unable_to_establish_sqlconnection,
  // connection_does_not_exist.
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "08006",
  "08001",
  "08003",
]);

// node-postgres' own messages, which carry no code: the server went away mid-query, the pool
// waited connectionTimeoutMillis for a connection, a client broken by an earlier error was used
// again (Drizzle's ROLLBACK after the failed statement).
const unavailableMessages =
  /connection terminated|timeout exceeded when trying to connect|connection error and is not queryable|client was closed and is not queryable/i;
