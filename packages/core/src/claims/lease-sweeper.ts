import type { TaskflowDb } from "../db/database.ts";
import { expireLeases } from "./expire-leases.ts";

/** Runs expireLeases every `intervalMs` until stopped; failures wait for the next round. */
export function startLeaseSweeper(
  db: TaskflowDb,
  options: { intervalMs?: number; onError?: (error: unknown) => void } = {},
) {
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    running = expireLeases(db).catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? 15_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
