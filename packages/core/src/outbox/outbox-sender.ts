import { type PostOutcome, postWebhook } from "../webhooks/post-webhook.ts";

/** How an outbox is sent: the settings webhook deliveries and agent dispatches share. */
export interface OutboxSettings {
  /** Loopback and private targets allowed (`WEBHOOK_ALLOW_PRIVATE_TARGETS`); default false. */
  allowPrivateTargets: boolean;
  /** Per attempt, connect to last header; default 10 s. */
  timeoutMs: number;
  /** First retry delay, doubled per attempt; default 10 s. */
  retryBaseMs: number;
  /** Longest retry delay; default 1 h. */
  retryCapMs: number;
  /** Attempts before a delivery is failed; default 8. */
  maxAttempts: number;
  /** How often to look for due deliveries without a notification; default 5 s. */
  pollIntervalMs: number;
  /** Deliveries in flight at once per process; default 16. */
  concurrency: number;
  /** Delivered and failed deliveries are dropped from the log after this many days; default 30. */
  retentionDays: number;
}

export const outboxDefaults: OutboxSettings = {
  allowPrivateTargets: false,
  timeoutMs: 10_000,
  retryBaseMs: 10_000,
  retryCapMs: 3_600_000,
  maxAttempts: 8,
  pollIntervalMs: 5_000,
  concurrency: 16,
  retentionDays: 30,
};

/** A claimed row: its id and the attempt this is (fences the outcome against a lapsed lease). */
export interface OutboxItem {
  id: number;
  attempts: number;
}

/** What to POST, or why it cannot be sent at all. */
export type OutboxMessage =
  | { url: string; headers: Record<string, string>; body: string }
  | { unsendable: string };

/** An attempt's outcome, as the row records it. */
export interface OutboxOutcome {
  status: "delivered" | "retrying" | "failed";
  lastStatusCode: number | null;
  lastError: string | null;
  lastDurationMs: number;
  /** For `retrying`: when to try again. */
  retryInMs: number;
}

const pruneIntervalMs = 3_600_000;

/**
 * Sends an outbox table. Each replica runs one per table: woken by a notification and by polling, it claims due
 * rows with FOR UPDATE SKIP LOCKED and a lease (so replicas never send the same attempt twice), POSTs them off any
 * request path (the target guarded again at connect time), and records the outcome: delivered, a retry with
 * exponential backoff, or failed after the last attempt. A row whose sender died is taken again once its lease
 * lapses (at-least-once delivery; receivers dedupe on the id). The table's own queries are the subclass's.
 */
export abstract class OutboxSender<C extends OutboxItem> {
  protected readonly settings: OutboxSettings;
  readonly #onError: (error: unknown) => void;
  readonly #inFlight = new Map<number, { done: Promise<void>; abort: AbortController }>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #poll: NodeJS.Timeout | undefined;
  #pruning: NodeJS.Timeout | undefined;
  #running = false;
  #pumping: Promise<void> | undefined;
  #again = false;

  constructor(options: Partial<OutboxSettings> & { onError?: (error: unknown) => void }) {
    const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
    this.settings = { ...outboxDefaults, ...given } as OutboxSettings;
    this.#onError = options.onError ?? (() => {});
  }

  /** Takes up to `limit` due rows, counting the attempt and leasing them for `leaseMs`. */
  protected abstract claim(limit: number, leaseMs: number): Promise<C[]>;
  /** The request a claimed row makes. */
  protected abstract render(item: C): OutboxMessage;
  /** Records an attempt's outcome, fenced by the row's attempt number and pending/retrying status. */
  protected abstract record(item: C, outcome: OutboxOutcome): Promise<void>;
  /** Hands a row back untouched (the attempt uncounted, the lease released) when stopped mid-send. */
  protected abstract handBack(item: C): Promise<void>;
  /** Drops finished rows older than the retention; returns how many. */
  abstract prune(): Promise<number>;

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#poll = setInterval(() => this.wake(), this.settings.pollIntervalMs);
    this.#poll.unref();
    this.#pruning = setInterval(() => this.prune().catch(this.#onError), pruneIntervalMs);
    this.#pruning.unref();
    this.wake();
  }

  /** For claim: rows it passed over may hide others due behind them, so the pump claims again at once. */
  protected claimAgain(): void {
    this.#again = true;
  }

  /** Feed it the notifications of the channel its outbox is announced on. */
  readonly onNotification = (): void => this.wake();

  /** Looks for due rows now. */
  wake(): void {
    if (!this.#running) return;
    if (this.#pumping) {
      this.#again = true;
      return;
    }
    this.#pumping = this.#pump().finally(() => {
      this.#pumping = undefined;
      // A wake-up that came while the last claim was finishing is not lost.
      if (this.#again) this.wake();
    });
  }

  /** Stops claiming; attempts in flight are cut short and handed back untouched for another sender. */
  async stop(): Promise<void> {
    this.#running = false;
    if (this.#poll) clearInterval(this.#poll);
    if (this.#pruning) clearInterval(this.#pruning);
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    await this.#pumping;
    for (const { abort } of this.#inFlight.values()) abort.abort();
    await Promise.allSettled([...this.#inFlight.values()].map((f) => f.done));
  }

  async #pump(): Promise<void> {
    try {
      do {
        this.#again = false;
        const free = this.settings.concurrency - this.#inFlight.size;
        if (!this.#running || free <= 0) return;
        const claimed = await this.claim(free, this.settings.timeoutMs + 30_000);
        for (const item of claimed) this.#launch(item);
        if (claimed.length === free) this.#again = true;
      } while (this.#again && this.#running);
    } catch (error) {
      this.#onError(error);
    }
  }

  #launch(item: C): void {
    const abort = new AbortController();
    const done = this.#deliver(item, abort.signal)
      .catch((error: unknown) => this.#onError(error))
      .finally(() => {
        this.#inFlight.delete(item.id);
        this.wake();
      });
    this.#inFlight.set(item.id, { done, abort });
  }

  async #deliver(item: C, signal: AbortSignal): Promise<void> {
    const message = this.render(item);
    if ("unsendable" in message) {
      await this.#finish(item, { kind: "failed", error: message.unsendable, permanent: true }, 0);
      return;
    }
    const started = performance.now();
    const outcome = await postWebhook(message.url, message.headers, message.body, {
      policy: { allowPrivateTargets: this.settings.allowPrivateTargets },
      timeoutMs: this.settings.timeoutMs,
      signal,
    });
    if (signal.aborted && !this.#running) {
      // Stopped mid-send: hand the row back as it was, for the next sender.
      await this.handBack(item);
      return;
    }
    await this.#finish(item, outcome, Math.round(performance.now() - started));
  }

  async #finish(item: C, outcome: PostOutcome, durationMs: number): Promise<void> {
    const ok = outcome.kind === "answered" && outcome.statusCode >= 200 && outcome.statusCode < 300;
    const lastStatusCode = outcome.kind === "answered" ? outcome.statusCode : null;
    const lastError =
      outcome.kind === "failed"
        ? outcome.error
        : ok
          ? null
          : `answered ${outcome.statusCode}${outcome.statusCode >= 300 && outcome.statusCode < 400 ? " (redirects are not followed)" : ""}`;
    const permanent = outcome.kind === "failed" && outcome.permanent;
    const exhausted = item.attempts >= this.settings.maxAttempts;
    const retryInMs = this.#backoff(item.attempts);
    const status = ok ? "delivered" : permanent || exhausted ? "failed" : "retrying";
    await this.record(item, { status, lastStatusCode, lastError, lastDurationMs: durationMs, retryInMs });
    if (status === "retrying" && this.#running) {
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.wake();
      }, retryInMs + 5);
      timer.unref();
      this.#timers.add(timer);
    }
  }

  /** base · 2^(attempt−1), capped, plus up to 10% jitter so retries of many deliveries spread out. */
  #backoff(attempt: number): number {
    const { retryBaseMs, retryCapMs } = this.settings;
    const delay = Math.min(retryCapMs, retryBaseMs * 2 ** Math.max(0, attempt - 1));
    return Math.round(delay * (1 + Math.random() * 0.1));
  }
}
