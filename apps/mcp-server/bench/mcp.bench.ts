// `npm run bench -w apps/mcp-server`: tool calls per second over Streamable HTTP with 20 agents,
// p50 / p99, beside the same operation through the REST API with the same agents' keys.
// Aim: an MCP tool call within 1.5x the REST call.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { benchOrganization } from "../../../bench/lib/bench-organization.ts";
import { say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { printTable, runLoad } from "../../../bench/lib/load.ts";
import { processMemory } from "../../../bench/lib/process-memory.ts";

const agents = Number(process.env.BENCH_AGENTS ?? 20);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const stack = await startBenchStack({ mcp: true });
const { owner, project, keys } = await benchOrganization(stack, {
  projectName: "MCP bench",
  agents,
  handlePrefix: "mcp-agent",
});
say("seeding 200 tasks");
for (let i = 0; i < 200; i++)
  await stack.call(owner, "POST", `/api/projects/${project.id}/tasks`, { title: `Task ${i}` });

const clients = await Promise.all(
  keys.map(async (key) => {
    const client = new Client({ name: "bench-agent", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(stack.mcpUrl), {
        requestInit: { headers: { authorization: `Bearer ${key}` } },
      }),
    );
    return client;
  }),
);

const mcpList = await runLoad(
  `MCP taskflow_list_tasks (${agents} agents)`,
  { concurrency: agents, seconds },
  async (w) => {
    const result = await (clients[w] as Client).callTool({
      name: "taskflow_list_tasks",
      arguments: { projectId: project.id, status: ["pending"], limit: 20 },
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
const rawList = await runLoad(
  `MCP list_tasks as plain JSON-RPC POST (${agents} agents)`,
  { concurrency: agents, seconds },
  async (w, i) => {
    const response = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${keys[w]}`,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: i,
        method: "tools/call",
        params: {
          name: "taskflow_list_tasks",
          arguments: { projectId: project.id, status: ["pending"], limit: 20 },
        },
      }),
    });
    const answer = (await response.json()) as { result?: { isError?: boolean } };
    if (!response.ok || !answer.result || answer.result.isError) throw new Error(`answer ${response.status}`);
  },
);
const mcpProjects = await runLoad(
  "MCP taskflow_list_projects",
  { concurrency: agents, seconds },
  async (w) => {
    const result = await (clients[w] as Client).callTool({
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

printTable(`MCP server vs REST API, PostgreSQL ${stack.serverVersion}, ${seconds}s each`, [
  mcpList,
  rawList,
  restList,
  mcpProjects,
  restProjects,
]);
say(
  `list tasks: MCP p50 ${(mcpList.p50 / restList.p50).toFixed(2)}x REST, throughput ${(restList.perSecond / mcpList.perSecond).toFixed(2)}x lower`,
);
say(
  `list tasks as plain JSON-RPC: p50 ${(rawList.p50 / restList.p50).toFixed(2)}x REST (the rest is the SDK client's share)`,
);
say(`list projects: MCP p50 ${(mcpProjects.p50 / restProjects.p50).toFixed(2)}x REST`);
say(
  `MCP process memory: rss ${mcpMemory.currentMiB.toFixed(0)} MiB, peak ${mcpMemory.peakMiB.toFixed(0)} MiB`,
);
await Promise.all(clients.map((c) => c.close()));
await stack.stop();
