// `npm run bench:memory -w apps/mcp-server`: the resident memory (RSS) of the MCP server and of the API,
// each started as `npm start` starts it (bench-stack.ts), idle after start and at most while
// BENCH_CONCURRENCY (50) connections call them for BENCH_SECONDS (10): the MCP server a tool call as
// plain JSON-RPC over Streamable HTTP, the API the same list over REST. Issue 14's targets: under
// 150 MiB idle and under 200 MiB at 50 connections, for each.
import { benchOrganization } from "../../../bench/lib/bench-organization.ts";
import { addressOf, say, startBenchStack } from "../../../bench/lib/bench-stack.ts";
import { runLoad } from "../../../bench/lib/load.ts";
import { processMemory, rssSampler } from "../../../bench/lib/process-memory.ts";

const connections = Number(process.env.BENCH_CONCURRENCY ?? 50);
const seconds = Number(process.env.BENCH_SECONDS ?? 10);

const stack = await startBenchStack({ mcp: true });
const apiPid = stack.api.child.pid as number;
const mcpPid = stack.mcp?.child.pid as number;
// Idle: after start, before any request, once start-up's garbage has had time to go.
await new Promise((resolve) => setTimeout(resolve, 5_000));
const idle = { api: processMemory(apiPid).currentMiB, mcp: processMemory(mcpPid).currentMiB };

const { project, keys } = await benchOrganization(stack, {
  projectName: "Memory bench",
  agents: connections,
  handlePrefix: "memory-agent",
});
say("seeding 200 tasks");
for (let i = 0; i < 200; i++) {
  await stack.call(keys[0] as string, "POST", `/api/projects/${project.id}/tasks`, { title: `Task ${i}` });
}

const mcpRss = rssSampler(mcpPid);
const mcpLoad = await runLoad(
  `MCP list_tasks (${connections} connections)`,
  { concurrency: connections, seconds },
  async (w, i) => {
    const response = await fetch(stack.mcpUrl, {
      method: "POST",
      headers: {
        authorization: `Bearer ${keys[w]}`,
        "x-forwarded-for": addressOf(keys[w] as string),
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": "2025-11-25",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: i,
        method: "tools/call",
        params: { name: "taskflow_list_tasks", arguments: { projectId: project.id, limit: 50 } },
      }),
    });
    const answer = (await response.json()) as { result?: { isError?: boolean } };
    if (!response.ok || !answer.result || answer.result.isError) throw new Error(`answer ${response.status}`);
  },
);
const mcpPeak = mcpRss.stop();

const apiRss = rssSampler(apiPid);
const apiLoad = await runLoad(
  `REST GET …/tasks (${connections} connections)`,
  { concurrency: connections, seconds },
  async (w) => {
    await stack.call(keys[w] as string, "GET", `/api/projects/${project.id}/tasks?limit=50`);
  },
);
const apiPeak = apiRss.stop();
// Where the API's memory is right after the load: V8's heap spaces and what lives outside them.
const metrics = await (await fetch(`${stack.apiUrl}/metrics`)).text();
const heapLines = metrics
  .split("\n")
  .filter((line) =>
    /^(nodejs_heap_space_size_(total|used)_bytes|nodejs_external_memory_bytes|process_resident_memory_bytes)/.test(
      line,
    ),
  )
  .map((line) =>
    line.replace(/ (\d+(\.\d+)?)$/, (_, bytes: string) => ` ${(Number(bytes) / 2 ** 20).toFixed(1)} MiB`),
  );
await stack.stop();

const mib = (value: number) => `${value.toFixed(0)} MiB`;
const mark = (ok: boolean) => (ok ? "met" : "NOT met");
say(
  `\n${mcpLoad.label}: ${mcpLoad.perSecond.toFixed(0)} calls/s, ${mcpLoad.errors} errors${mcpLoad.firstError ? ` (${mcpLoad.firstError})` : ""}`,
);
say(
  `${apiLoad.label}: ${apiLoad.perSecond.toFixed(0)} req/s, ${apiLoad.errors} errors${apiLoad.firstError ? ` (${apiLoad.firstError})` : ""}`,
);
say(
  `MCP server RSS: idle ${mib(idle.mcp)} (< 150: ${mark(idle.mcp < 150)}), at most under load ${mib(mcpPeak)} (< 200: ${mark(mcpPeak < 200)})`,
);
say(
  `API RSS: idle ${mib(idle.api)} (< 150: ${mark(idle.api < 150)}), at most under load ${mib(apiPeak)} (< 200: ${mark(apiPeak < 200)})`,
);
say(`API memory right after its load:\n  ${heapLines.join("\n  ")}`);
