/**
 * A steady load on a running API for fault tests: each worker creates a task, then lists the
 * project's tasks, back to back, until stopped. Every request is recorded with what it got, so a
 * test can say exactly which ones failed, how, and how long each took.
 */
export interface LoadRecord {
  worker: number;
  operation: "create" | "list";
  /** When it was sent, in performance.now() milliseconds. */
  sentAt: number;
  ms: number;
  /** HTTP status, or 0 when no answer came (connection refused or reset, client timeout). */
  status: number;
  error?: string;
  contentType?: string;
  retryAfter?: string | null;
  /** The created task's id and title when a create was answered 2xx. */
  created?: { id: string; title: string };
}

export interface SteadyLoad {
  records: LoadRecord[];
  /** Stops sending; resolves once every request in flight has been answered (or failed). */
  stop(): Promise<LoadRecord[]>;
}

export function startSteadyLoad(options: {
  baseUrl: string;
  token: string;
  projectId: string;
  workers: number;
  /** A request unanswered this long counts as hanging (status 0); default 15 s. */
  clientTimeoutMs?: number;
  /** Per request, e.g. `connection: close` to open a new connection each time. */
  headers?: Record<string, string>;
  /** Pause between one worker's requests; default none. */
  pauseMs?: number;
}): SteadyLoad {
  const records: LoadRecord[] = [];
  let running = true;
  const timeout = options.clientTimeoutMs ?? 15_000;
  const headers = { authorization: `Bearer ${options.token}`, ...options.headers };

  async function send(
    worker: number,
    operation: LoadRecord["operation"],
    path: string,
    init: RequestInit,
  ): Promise<LoadRecord> {
    const sentAt = performance.now();
    const record: LoadRecord = { worker, operation, sentAt, ms: 0, status: 0 };
    try {
      const response = await fetch(`${options.baseUrl}${path}`, {
        ...init,
        signal: AbortSignal.timeout(timeout),
      });
      const text = await response.text();
      record.status = response.status;
      record.contentType = response.headers.get("content-type") ?? "";
      record.retryAfter = response.headers.get("retry-after");
      if (operation === "create" && response.ok) {
        const task = JSON.parse(text) as { id: string; title: string };
        record.created = { id: task.id, title: task.title };
      }
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause;
      record.error = cause?.code ?? (error instanceof Error ? error.name : String(error));
    }
    record.ms = performance.now() - sentAt;
    records.push(record);
    return record;
  }

  const loops = Array.from({ length: options.workers }, async (_, worker) => {
    for (let i = 0; running; i++) {
      await send(worker, "create", `/api/projects/${options.projectId}/tasks`, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ title: `load ${worker}.${i}` }),
      });
      if (!running) break;
      await send(worker, "list", `/api/projects/${options.projectId}/tasks?limit=20`, { headers });
      if (options.pauseMs) await new Promise((r) => setTimeout(r, options.pauseMs));
    }
  });

  return {
    records,
    stop: async () => {
      running = false;
      await Promise.all(loops);
      return records;
    },
  };
}

/** p50, p99 and max of the records' latencies, in ms. */
export function latency(records: LoadRecord[]): { count: number; p50: number; p99: number; max: number } {
  const sorted = records.map((r) => r.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
}
