import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type NotificationListener = (payload: string) => void;

export interface NotificationChannel {
  /** Starts listening; resolves once LISTEN is in effect. */
  listen(listener: NotificationListener): Promise<void>;
  close(): Promise<void>;
}

/**
 * PostgreSQL LISTEN on one channel. On a server it holds a dedicated connection and reconnects
 * with backoff when that connection drops; on PGlite it uses the in-process listener.
 */
export function notificationChannel(
  source: { url: string } | { pglite: PGlite },
  channel: string,
  onError: (error: unknown) => void = () => {},
): NotificationChannel {
  if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`invalid channel name ${channel}`);
  if ("pglite" in source) {
    let unlisten: (() => Promise<void>) | undefined;
    return {
      listen: async (listener) => {
        unlisten = await source.pglite.listen(channel, listener);
      },
      close: async () => {
        await unlisten?.();
      },
    };
  }

  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async (listener: NotificationListener, attempt: number): Promise<void> => {
    const next = new pg.Client({ connectionString: source.url, connectionTimeoutMillis: 5_000 });
    const reconnect = (error: unknown) => {
      onError(error);
      next.removeAllListeners();
      // The same broken connection may report more than one error: each must have a listener.
      next.on("error", () => {});
      next.end().catch(() => {});
      if (client === next) client = undefined;
      if (closed) return;
      const delay = Math.min(30_000, 500 * 2 ** attempt);
      retry = setTimeout(() => connect(listener, attempt + 1).catch(onError), delay);
    };
    next.on("error", reconnect);
    next.on("notification", (message) => {
      if (message.channel === channel && message.payload !== undefined) listener(message.payload);
    });
    try {
      await next.connect();
      await next.query(`listen ${channel}`);
      client = next;
    } catch (error) {
      // The first connection's failure is the caller's to handle; later ones retry quietly.
      if (attempt === 0) {
        next.removeAllListeners();
        next.on("error", () => {});
        await next.end().catch(() => {});
        throw error;
      }
      reconnect(error);
    }
  };
  return {
    listen: (listener) => connect(listener, 0),
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
