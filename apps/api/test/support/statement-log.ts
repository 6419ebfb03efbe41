import type pg from "pg";

/**
 * Records every statement the API's pool sends to a real PostgreSQL server (BEGIN and COMMIT included):
 * each `client.query` is one round trip. Hooked on the pool's `acquire`, so it sees the clients already
 * connected as well as new ones; clients the test itself does not share (LISTEN channels) are not seen.
 */
export function statementLog(pool: pg.Pool) {
  const seen = new WeakSet<pg.PoolClient>();
  let texts: string[] = [];
  pool.on("acquire", (client) => {
    if (seen.has(client)) return;
    seen.add(client);
    const send: (...args: unknown[]) => unknown = client.query.bind(client);
    client.query = ((config: unknown, ...rest: unknown[]) => {
      texts.push(typeof config === "string" ? config : String((config as { text?: unknown }).text));
      return send(config, ...rest);
    }) as typeof client.query;
  });
  return {
    /** The statements sent since the last call, first to last, and starts afresh. */
    take(): string[] {
      const taken = texts;
      texts = [];
      return taken;
    },
  };
}
