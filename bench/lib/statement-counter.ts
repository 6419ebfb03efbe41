import pg from "pg";

/**
 * Counts the statements a database's clients run, from PostgreSQL's pg_stat_statements (BEGIN and COMMIT
 * included: track_utility is on by default): how many round trips an operation costs, a figure that a loaded
 * machine does not distort as it does throughput. The server must preload the module (startBenchStack's
 * `countStatements`); without it `available` is false and the count is left out.
 */
export async function statementCounter(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const available = await client
    .query("create extension if not exists pg_stat_statements")
    .then(() => client.query("select pg_stat_statements_reset()"))
    .then(
      () => true,
      () => false,
    );
  // The counter's own statements name the view: they are left out.
  const ofThisDatabase = `dbid = (select oid from pg_database where datname = current_database())
    and query not like '%pg_stat_statements%'`;
  return {
    available,
    /** Starts counting from zero. */
    reset: async () => {
      if (available) await client.query("select pg_stat_statements_reset()");
    },
    /** Statements run since the reset. */
    count: async (): Promise<number> => {
      if (!available) return 0;
      const { rows } = await client.query<{ calls: string | null }>(
        `select sum(calls) as calls from pg_stat_statements where ${ofThisDatabase}`,
      );
      return Number(rows[0]?.calls ?? 0);
    },
    /** The most frequent statements since the reset, for a breakdown. */
    top: async (limit: number) => {
      if (!available) return [];
      const { rows } = await client.query<{ calls: string; mean: number; query: string }>(
        `select calls, mean_exec_time as mean, query from pg_stat_statements where ${ofThisDatabase}
          order by calls desc limit $1`,
        [limit],
      );
      return rows.map((row) => ({ calls: Number(row.calls), meanMs: Number(row.mean), query: row.query }));
    },
    close: () => client.end(),
  };
}
