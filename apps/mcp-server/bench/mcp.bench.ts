// `npm run bench -w apps/mcp-server`: tool calls per second over Streamable HTTP with 20 agents,
// p50 / p99, in both protocol eras (2025-11-25 through the v1 SDK client, 2026-07-28 through the v2 client
// pinned to it), beside the same operation through the REST API with the same agents' keys, in one run.
// Aim: an MCP tool call within 1.5x the REST call, and 2026-07-28 no slower than 2025-11-25.
import { loadavg } from "node:os";
import {
  Client as ModernClient,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from "@modelcontextprotocol/client";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { benchOrganization } from "../../../bench/lib/bench-organization.ts";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { printTable, runLoad } from "../../../bench/lib/load.ts";
import { processMemory } from "../../../bench/lib/process-memory.ts";

const agents = Number(process.env.BENCH_AGENTS ?? 20);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);
/** The machine's 1/5/15-minute load averages: figures from a shared machine mean little without them. */
const load = () =>
  loadavg()
    .map((n) => n.toFixed(2))
    .join(" ");
say(`load average before: ${load()}`);

const stack = await startBenchStack({ mcp: true });
const { owner, project, keys } = await benchOrganization(stack, {
  projectName: "MCP bench",
  agents,
  handlePrefix: "mcp-agent",
});
say("seeding 200 tasks");
for (let i = 0; i < 200; i++)
  await stack.call(owner, "POST", `/api/projects/${project.id}/tasks`, { title: `Task ${i}` });

const requestInit = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });
const clients = await Promise.all(
  keys.map(async (key) => {
    const client = new Client({ name: "bench-agent", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.mcpUrl), { requestInit: requestInit(key) }),
    );
    return client;
  }),
);
// 2026-07-28: stateless, every request carries its envelope; the client fails rather than fall back.
const modernClients = await Promise.all(
  keys.map(async (key) => {
    const client = new ModernClient(
      { name: "bench-agent", version: "1.0.0" },
      { versionNegotiation: { mode: { pin: "2026-07-28" } } },
    );
    await client.connect(new ModernHttpTransport(new URL(stack.mcpUrl), { requestInit: requestInit(key) }));
    return client;
  }),
);
const listArguments = () => ({ projectId: project.id, status: ["pending"], limit: 20 });

const mcpList = await runLoad(
  `MCP-2025 taskflow_list_tasks (${agents} agents)`,
  { concurrency: agents, seconds },
  async (w) => {
    const result = await (clients[w] as Client).callTool({
      name: "taskflow_list_tasks",
      arguments: listArguments(),
    });
    if (result.isError) throw new Error("tool error");
  },
);
const modernList = await runLoad(
  `MCP-2026 taskflow_list_tasks (${agents} agents)`,
  { concurrency: agents, seconds },
  async (w) => {
    const result = await (modernClients[w] as ModernClient).callTool({
      name: "taskflow_list_tasks",
      arguments: listArguments(),
    });
    if (result.isError) throw new Error("tool error");
  },
);
const restList = await runLoad(
  `REST GET …/tasks (${agents} agents)`,
  { concurrency: agents, seconds },
  async (w) => {
    await stack.call(keys[w] as string, "GET", `/api/projects/${project.id}/tasks?status=pending&limit=20`);
  },
);
// The same tool call as plain JSON-RPC over fetch: the server's share, without the SDK client's own work.
const envelope = {
  "io.modelcontextprotocol/protocolVersion": "2026-07-28",
  "io.modelcontextprotocol/clientInfo": { name: "bench-agent", version: "1.0.0" },
  "io.modelcontextprotocol/clientCapabilities": {},
};
async function rawListTasks(key: string, id: number, era: "2025-11-25" | "2026-07-28") {
  const modern = era === "2026-07-28";
  const response = await fetch(stack.mcpUrl, {
    method: "POST",
    headers: {
      authorization: `Bearer ${key}`,
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": era,
      ...(modern ? { "mcp-method": "tools/call", "mcp-name": "taskflow_list_tasks" } : {}),
    },
    body: JSON.stringify({
      jsonrpc: "2.0",
      id,
      method: "tools/call",
      params: {
        name: "taskflow_list_tasks",
        arguments: listArguments(),
        ...(modern ? { _meta: envelope } : {}),
      },
    }),
  });
  const answer = (await response.json()) as { result?: { isError?: boolean } };
  if (!response.ok || !answer.result || answer.result.isError) throw new Error(`answer ${response.status}`);
}
const rawList = await runLoad(
  `MCP-2025 list_tasks, plain JSON-RPC`,
  { concurrency: agents, seconds },
  (w, i) => rawListTasks(keys[w] as string, i, "2025-11-25"),
);
const rawModernList = await runLoad(
  `MCP-2026 list_tasks, plain JSON-RPC`,
  { concurrency: agents, seconds },
  (w, i) => rawListTasks(keys[w] as string, i, "2026-07-28"),
);
const mcpProjects = await runLoad(
  "MCP-2025 taskflow_list_projects",
  { concurrency: agents, seconds },
  async (w) => {
    const result = await (clients[w] as Client).callTool({
      name: "taskflow_list_projects",
      arguments: {},
    });
    if (result.isError) throw new Error("tool error");
  },
);
const modernProjects = await runLoad(
  "MCP-2026 taskflow_list_projects",
  { concurrency: agents, seconds },
  async (w) => {
    const result = await (modernClients[w] as ModernClient).callTool({
      name: "taskflow_list_projects",
      arguments: {},
    });
    if (result.isError) throw new Error("tool error");
  },
);
const restProjects = await runLoad(`REST GET /api/projects`, { concurrency: agents, seconds }, async (w) => {
  await stack.call(keys[w] as string, "GET", "/api/projects");
});
const mcpMemory = processMemory(stack.mcp?.child.pid as number);

printTable(`MCP server (both eras) vs REST API, PostgreSQL ${stack.serverVersion}, ${seconds}s each`, [
  mcpList,
  modernList,
  restList,
  rawList,
  rawModernList,
  mcpProjects,
  modernProjects,
  restProjects,
]);
const ratio = (a: number, b: number) => (a / b).toFixed(2);
say(
  `list tasks p50: MCP-2025 ${mcpList.p50.toFixed(1)} ms, MCP-2026 ${modernList.p50.toFixed(1)} ms ` +
    `(${ratio(modernList.p50, mcpList.p50)}x 2025), REST ${restList.p50.toFixed(1)} ms`,
);
say(
  `list tasks vs REST: MCP-2025 p50 ${ratio(mcpList.p50, restList.p50)}x, MCP-2026 p50 ${ratio(modernList.p50, restList.p50)}x; ` +
    `calls/s MCP-2025 ${mcpList.perSecond.toFixed(0)}, MCP-2026 ${modernList.perSecond.toFixed(0)}, REST ${restList.perSecond.toFixed(0)}`,
);
say(
  `list tasks as plain JSON-RPC: p50 2025 ${ratio(rawList.p50, restList.p50)}x REST, 2026 ${ratio(rawModernList.p50, restList.p50)}x REST (the rest is the SDK clients' share)`,
);
say(
  `list projects p50: MCP-2025 ${ratio(mcpProjects.p50, restProjects.p50)}x REST, MCP-2026 ${ratio(modernProjects.p50, restProjects.p50)}x REST`,
);
say(
  `MCP process memory: rss ${mcpMemory.currentMiB.toFixed(0)} MiB, peak ${mcpMemory.peakMiB.toFixed(0)} MiB`,
);
say(`load average after: ${load()} (2 CPUs shared: figures move with it)`);
await Promise.all([...clients, ...modernClients].map((c) => c.close()));
await stack.stop();
