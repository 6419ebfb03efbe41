import pg from "pg";

export interface Leadership {
  /** Whether this process holds the lock now (checked at its last round). */
  isLeader(): boolean;
  /** Gives the lock up (another process takes it at its next try) and stops trying. */
  stop(): Promise<void>;
}

export interface LeadershipOptions {
  /** How often a follower tries for the lock, and the leader checks it still holds its connection. */
  intervalMs?: number;
  onChange?: (leader: boolean) => void;
  onError?: (error: unknown) => void;
}

/**
 * One process among the replicas leads, chosen by a PostgreSQL session advisory lock held on a connection of
 * its own: the server releases it when that connection ends, so when the leader dies (or its connection does)
 * another replica takes it at its next try. The leader checks its connection every round and stops leading the
 * moment it fails. On the embedded database (PGlite) there is one process, which always leads.
 */
export function holdLeadership(
  source: { url: string } | { pglite: unknown },
  lockId: number,
  options: LeadershipOptions = {},
): Leadership {
  if ("pglite" in source) {
    options.onChange?.(true);
    return { isLeader: () => true, stop: async () => {} };
  }
  const intervalMs = options.intervalMs ?? 5_000;
  let client: pg.Client | undefined;
  let leader = false;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const setLeader = (value: boolean) => {
    if (leader === value) return;
    leader = value;
    options.onChange?.(value);
  };
  const drop = async () => {
    setLeader(false);
    const old = client;
    client = undefined;
    if (old) {
      old.removeAllListeners();
      old.on("error", () => {});
      await old.end().catch(() => {});
    }
  };
  const round = async () => {
    try {
      if (!client) {
        const next = new pg.Client({ connectionString: source.url, connectionTimeoutMillis: 5_000 });
        next.on("error", (error) => {
          options.onError?.(error);
          if (client === next) void drop();
        });
        await next.connect();
        client = next;
      }
      if (leader) {
        // Still leading only while the connection that holds the lock answers.
        await client.query("select 1");
      } else {
        const result = await client.query<{ ok: boolean }>("select pg_try_advisory_lock($1) as ok", [lockId]);
        setLeader(result.rows[0]?.ok === true);
      }
    } catch (error) {
      options.onError?.(error);
      await drop();
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = round().finally(schedule);
    }, intervalMs);
  };
  running = round().finally(schedule);

  return {
    isLeader: () => leader && !stopped,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running.catch(() => {});
      if (client && leader) await client.query("select pg_advisory_unlock($1)", [lockId]).catch(() => {});
      await drop();
    },
  };
}
