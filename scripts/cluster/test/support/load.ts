// People and agents at work while the cluster changes under them: REST writers and readers, an agent calling
// MCP tools, and a watcher on the project's event stream. Every client is the real one (fetch, the MCP SDK's
// client, the `eventsource` package's EventSource, which reconnects with Last-Event-ID by itself), and none of
// them retries: a request that fails is counted as failed. Request loops are paced and stop when told.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { EventSource } from "eventsource";
import { sleep } from "./kube.ts";

export interface Failure {
  client: string;
  at: string;
  detail: string;
}

export interface LoadTargets {
  /** Base URL of the API the REST clients use (a Service, or one pod). */
  apiUrl: string;
  /** The MCP endpoint the agent uses. */
  mcpUrl: string;
  /** Base URL of the API the watcher streams from (default apiUrl). */
  watchUrl?: string;
  projectId: string;
  /** One agent key per client: writers…, the reader, the MCP agent, the watcher. */
  keys: { writers: string[]; reader: string; mcp: string; watcher: string };
  /** Pause between one client's requests. */
  paceMs?: number;
}

export interface WatchedEvent {
  id: number;
  action: string;
  taskId?: string;
}

export interface LoadReport {
  requests: number;
  failures: Failure[];
  /** Ids of the tasks whose creation was acknowledged (201 from REST, a successful MCP tool result). */
  acknowledged: string[];
  watched: WatchedEvent[];
  /** Times the watcher's stream opened (1 = never reconnected). */
  streamOpens: number;
  watcherErrors: string[];
}

/** The audit actions the load's project can produce: what the watcher listens for. */
export const watchedActions = ["project.created", "member.added", "task.created"];

export class Load {
  readonly #targets: LoadTargets;
  readonly #pace: number;
  #running = false;
  #loops: Promise<void>[] = [];
  #requests = 0;
  readonly #failures: Failure[] = [];
  readonly #acknowledged: string[] = [];
  readonly #watched: WatchedEvent[] = [];
  readonly #watcherErrors: string[] = [];
  #opens = 0;
  #source: EventSource | undefined;
  #mcp: Client | undefined;

  constructor(targets: LoadTargets) {
    this.#targets = targets;
    this.#pace = targets.paceMs ?? 150;
  }

  get requests(): number {
    return this.#requests;
  }
  get acknowledgedCount(): number {
    return this.#acknowledged.length;
  }

  async start(): Promise<void> {
    this.#running = true;
    this.#watch();
    const t = this.#targets;
    this.#mcp = new Client({ name: "taskflow-cluster-test-agent", version: "1.0.0" });
    await this.#mcp.connect(
      new StreamableHTTPClientTransport(new URL(t.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${t.keys.mcp}` } },
      }),
    );
    t.keys.writers.forEach((key, i) => {
      this.#loops.push(this.#loop(`rest-writer-${i}`, () => this.#restWrite(key, i)));
    });
    this.#loops.push(this.#loop("rest-reader", () => this.#restRead(t.keys.reader)));
    this.#loops.push(this.#loop("mcp-agent", (n) => this.#mcpCall(n)));
    await this.#waitForStream();
  }

  /** Stops the clients, waits for the watcher to catch up with every acknowledged task, and reports. */
  async stop(catchUpMs = 30_000): Promise<LoadReport> {
    this.#running = false;
    await Promise.all(this.#loops);
    await this.#mcp?.close();
    const deadline = Date.now() + catchUpMs;
    const seen = () => new Set(this.#watched.map((e) => e.taskId));
    while (Date.now() < deadline && !this.#acknowledged.every((id) => seen().has(id))) await sleep(250);
    this.#source?.close();
    return {
      requests: this.#requests,
      failures: [...this.#failures],
      acknowledged: [...this.#acknowledged],
      watched: [...this.#watched],
      streamOpens: this.#opens,
      watcherErrors: [...this.#watcherErrors],
    };
  }

  async #loop(client: string, request: (n: number) => Promise<void>): Promise<void> {
    for (let n = 0; this.#running; n++) {
      this.#requests += 1;
      try {
        await request(n);
      } catch (error) {
        this.#failures.push({ client, at: new Date().toISOString(), detail: describe(error) });
      }
      await sleep(this.#pace);
    }
  }

  async #restWrite(key: string, writer: number): Promise<void> {
    const t = this.#targets;
    const response = await fetch(`${t.apiUrl}/api/projects/${t.projectId}/tasks`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ title: `load from writer ${writer} at ${Date.now()}` }),
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    if (response.status !== 201) throw new Error(`POST tasks: ${response.status} ${body.slice(0, 200)}`);
    this.#acknowledged.push((JSON.parse(body) as { id: string }).id);
  }

  async #restRead(key: string): Promise<void> {
    const t = this.#targets;
    const latest = this.#acknowledged.at(-1);
    const path = latest ? `/api/tasks/${latest}` : `/api/projects/${t.projectId}/tasks?limit=20`;
    const response = await fetch(`${t.apiUrl}${path}`, {
      headers: { authorization: `Bearer ${key}` },
      signal: AbortSignal.timeout(30_000),
    });
    const body = await response.text();
    if (response.status !== 200) throw new Error(`GET ${path}: ${response.status} ${body.slice(0, 200)}`);
  }

  async #mcpCall(n: number): Promise<void> {
    const t = this.#targets;
    const client = this.#mcp as Client;
    const write = n % 2 === 0;
    const result = await client.callTool(
      write
        ? {
            name: "taskflow_add_task",
            arguments: { projectId: t.projectId, title: `load from the MCP agent, call ${n}` },
          }
        : { name: "taskflow_list_tasks", arguments: { projectId: t.projectId, limit: 10 } },
      undefined,
      { timeout: 30_000 },
    );
    if (result.isError) throw new Error(`MCP tool error: ${JSON.stringify(result.content).slice(0, 300)}`);
    if (write) {
      const task = result.structuredContent as { id?: string } | undefined;
      if (!task?.id)
        throw new Error(`taskflow_add_task gave no task id: ${JSON.stringify(result).slice(0, 300)}`);
      this.#acknowledged.push(task.id);
    }
  }

  #watch(): void {
    const t = this.#targets;
    const key = t.keys.watcher;
    const source = new EventSource(`${t.watchUrl ?? t.apiUrl}/api/projects/${t.projectId}/events`, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers ?? {}), authorization: `Bearer ${key}` } }),
    });
    source.onopen = () => {
      this.#opens += 1;
    };
    source.onerror = (event) => {
      if (this.#running)
        this.#watcherErrors.push(`${new Date().toISOString()} ${event.message ?? "stream error"}`);
    };
    for (const action of watchedActions) {
      source.addEventListener(action, (event) => {
        const entry = JSON.parse(event.data) as { entityType: string; entityId: string };
        this.#watched.push({
          id: Number(event.lastEventId),
          action,
          ...(entry.entityType === "task" ? { taskId: entry.entityId } : {}),
        });
      });
    }
    source.addEventListener("access_ended", (event) => {
      this.#watcherErrors.push(`access_ended ${event.data}`);
    });
    this.#source = source;
  }

  async #waitForStream(): Promise<void> {
    const deadline = Date.now() + 60_000;
    while (this.#opens === 0) {
      if (Date.now() > deadline)
        throw new Error(`the event stream did not open: ${this.#watcherErrors.join("; ")}`);
      await sleep(100);
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return `${error.message}${cause}`;
}

/** Ids of the watched events missing from `audit`'s, and duplicates: both must be empty for "no gap". */
export function streamGaps(watched: WatchedEvent[], auditIds: number[]) {
  const seen = new Set<number>();
  const duplicates: number[] = [];
  for (const event of watched) {
    if (seen.has(event.id)) duplicates.push(event.id);
    seen.add(event.id);
  }
  return { missing: auditIds.filter((id) => !seen.has(id)), duplicates };
}
