// Two replicas of the API and of the MCP server on one PostgreSQL: migrations applied once by pods that start
// together, events and rate limits shared across replicas, and the faults a cluster brings: an API pod deleted
// under load, the PostgreSQL pod deleted.
import { readFileSync } from "node:fs";
import { EventSource } from "eventsource";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  componentPods,
  deleteNamespace,
  kubectl,
  kubectlJson,
  pods,
  portForward,
  restrictedNamespace,
  sleep,
  waitFor,
} from "./support/kube.ts";
import { Load } from "./support/load.ts";
import { allPodsReady, install, type Release, readyPods } from "./support/release.ts";
import { ApiError, call, serviceUrls, signInAsAdmin, type Workspace, workspace } from "./support/taskflow.ts";

const release: Release = { name: "taskflow", namespace: "taskflow-replicas" };
const urls = serviceUrls(release.namespace);
// per agent key and window (60 s), shared through the database (apps/api README, "Rate limits")
const apiLimit = 600;
const mcpLimit = 200;

let person: string;
let work: Workspace;

beforeAll(async () => {
  await restrictedNamespace(release.namespace);
  await install(release, [
    "--set",
    "global.namespace=",
    "--set",
    "api.replicaCount=2",
    "--set",
    "mcp.replicaCount=2",
    "--set-string",
    `api.env.RATE_LIMIT_PER_CALLER=${apiLimit}`,
    "--set-string",
    `mcp.env.RATE_LIMIT_PER_CALLER=${mcpLimit}`,
  ]);
  await allPodsReady(release);
  person = await signInAsAdmin(release.namespace);
  work = await workspace(urls.api, person, "Replicas", 8);
});
afterAll(async () => {
  await deleteNamespace(release.namespace);
});

interface PodStatus {
  items: {
    metadata: { name: string };
    status: {
      initContainerStatuses?: {
        name: string;
        state: { terminated?: { startedAt: string; finishedAt: string; exitCode: number } };
      }[];
    };
  }[];
}

describe("two API pods starting at once", () => {
  it("apply each migration exactly once (the advisory lock makes the second wait, then find nothing to do)", async () => {
    const status = await kubectlJson<PodStatus>([
      "get",
      "pods",
      "-n",
      release.namespace,
      "-l",
      "app.kubernetes.io/component=api",
    ]);
    const runs = status.items.map((pod) => {
      const init = pod.status.initContainerStatuses?.find((c) => c.name === "run-migrations");
      return { pod: pod.metadata.name, ...init?.state.terminated };
    });
    expect(runs).toHaveLength(2);
    for (const r of runs) expect(r.exitCode, r.pod).toBe(0);
    // they started together (the install created both pods at once)
    const starts = runs.map((r) => Date.parse(r.startedAt ?? ""));
    expect(Math.abs((starts[0] as number) - (starts[1] as number))).toBeLessThan(15_000);
    for (const r of runs) {
      const log = await kubectl(["logs", r.pod, "-n", release.namespace, "-c", "run-migrations"]);
      expect(log).toMatch(/waiting for migration lock[\s\S]*migrations applied/);
    }
    const journal = JSON.parse(
      readFileSync(
        new URL("../../../packages/core/src/db/migrations/meta/_journal.json", import.meta.url),
        "utf8",
      ),
    ) as { entries: unknown[] };
    const counted = await kubectl([
      "exec",
      "api-postgres-0",
      "-n",
      release.namespace,
      "-c",
      "postgres",
      "--",
      "psql",
      "-U",
      "taskflow_user",
      "-d",
      "taskflow_db",
      "-tAc",
      "select count(*) || ' ' || count(distinct hash) from drizzle.__drizzle_migrations",
    ]);
    expect(counted.trim()).toBe(`${journal.entries.length} ${journal.entries.length}`);
  });
});

describe("events across replicas", () => {
  it("a task made through one API pod reaches a watcher on the other", async () => {
    const [a, b] = await readyPods(release, "api", 2);
    const [writer, watcher] = work.agentKeys as [string, string];
    for (const [through, watchedOn] of [
      [a, b],
      [b, a],
    ] as const) {
      const seen: string[] = [];
      const source = new EventSource(`http://${watchedOn?.ip}:8000/api/projects/${work.projectId}/events`, {
        fetch: (input, init) =>
          fetch(input, {
            ...init,
            headers: { ...(init?.headers ?? {}), authorization: `Bearer ${watcher}` },
          }),
      });
      source.addEventListener("task.created", (event) => {
        seen.push((JSON.parse(event.data) as { entityId: string }).entityId);
      });
      try {
        await waitFor("the stream open", async () => source.readyState === EventSource.OPEN, {
          everyMs: 100,
        });
        const task = await call<{ id: string }>(
          `http://${through?.ip}:8000`,
          writer,
          "POST",
          `/api/projects/${work.projectId}/tasks`,
          {
            title: `made through ${through?.name}, watched on ${watchedOn?.name}`,
          },
        );
        await waitFor(`task ${task.id} on the other pod's stream`, async () => seen.includes(task.id), {
          timeoutMs: 15_000,
          everyMs: 100,
        });
      } finally {
        source.close();
      }
    }
  });

  it("a task made through each MCP pod reaches a watcher on an API pod", async () => {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js"
    );
    const [apiPod] = await readyPods(release, "api", 2);
    const mcpPods = await readyPods(release, "mcp", 2);
    const [agent, watcher] = [work.agentKeys[2] as string, work.agentKeys[1] as string];
    const seen: string[] = [];
    const source = new EventSource(`http://${apiPod?.ip}:8000/api/projects/${work.projectId}/events`, {
      fetch: (input, init) =>
        fetch(input, { ...init, headers: { ...(init?.headers ?? {}), authorization: `Bearer ${watcher}` } }),
    });
    source.addEventListener("task.created", (event) => {
      seen.push((JSON.parse(event.data) as { entityId: string }).entityId);
    });
    try {
      await waitFor("the stream open", async () => source.readyState === EventSource.OPEN, { everyMs: 100 });
      for (const pod of mcpPods) {
        // the MCP server serves only its own host names (DNS-rebinding guard): localhost:8001 through port-forward
        const forward = await portForward(release.namespace, `pod/${pod.name}`, 8001, 8001);
        const client = new Client({ name: "cluster-test-agent", version: "1.0.0" });
        try {
          await client.connect(
            new StreamableHTTPClientTransport(new URL("http://localhost:8001/mcp"), {
              requestInit: { headers: { authorization: `Bearer ${agent}` } },
            }),
          );
          const result = await client.callTool({
            name: "taskflow_add_task",
            arguments: { projectId: work.projectId, title: `made through ${pod.name}` },
          });
          expect(result.isError ?? false).toBe(false);
          const id = (result.structuredContent as { id: string }).id;
          await waitFor(`task ${id} on the API pod's stream`, async () => seen.includes(id), {
            timeoutMs: 15_000,
            everyMs: 100,
          });
        } finally {
          await client.close();
          await forward.close();
        }
      }
    } finally {
      source.close();
    }
  });
});

describe("rate limits across replicas", () => {
  it(`the API's per-caller limit (${apiLimit} a minute) holds across both pods together`, async () => {
    const pods2 = await readyPods(release, "api", 2);
    const key = work.agentKeys[3] as string;
    const statuses = { ok: 0, limited: 0, other: [] as number[] };
    const limitedBy = new Set<string>();
    // four at a time, alternating pods, until both refuse
    let sent = 0;
    while (limitedBy.size < 2 && sent < apiLimit * 2) {
      await Promise.all(
        [0, 1, 2, 3].map(async (i) => {
          const pod = pods2[(sent + i) % 2] as { ip: string; name: string };
          const response = await fetch(`http://${pod.ip}:8000/api/projects/${work.projectId}/tasks?limit=1`, {
            headers: { authorization: `Bearer ${key}` },
          });
          await response.arrayBuffer();
          if (response.status === 200) statuses.ok += 1;
          else if (response.status === 429) {
            statuses.limited += 1;
            limitedBy.add(pod.name);
          } else statuses.other.push(response.status);
        }),
      );
      sent += 4;
    }
    expect(statuses.other).toEqual([]);
    // Each pod counts in memory and shares its counts every 250 ms (apps/api README, "Rate limits"): no
    // refusal before the limit, and beyond it only what one pod admitted before the other's count reached
    // it (about half a second of this loop), far from the twice the limit of pods counting alone.
    expect(statuses.ok).toBeGreaterThanOrEqual(apiLimit);
    expect(statuses.ok - apiLimit).toBeLessThanOrEqual(apiLimit / 2);
    expect(limitedBy.size).toBe(2);
  });

  it(`the MCP server's per-caller limit (${mcpLimit} a minute) holds across both pods together`, async () => {
    const { Client } = await import("@modelcontextprotocol/sdk/client/index.js");
    const { StreamableHTTPClientTransport } = await import(
      "@modelcontextprotocol/sdk/client/streamableHttp.js"
    );
    const mcpPods = await readyPods(release, "mcp", 2);
    const key = work.agentKeys[4] as string;
    // every HTTP answer the SDK's client gets: initialize and its notification count like tool calls, and so does
    // the GET with which it offers to receive server messages (405 from this stateless server, as the SDK expects)
    const answers = mcpPods.map(() => ({ counted: 0, limited: 0, unexpected: [] as string[] }));
    // half the budget through the first pod, then through the second until it refuses
    for (const [index, pod] of mcpPods.entries()) {
      const tally = answers[index] as (typeof answers)[number];
      const forward = await portForward(release.namespace, `pod/${pod.name}`, 8001, 8001);
      const client = new Client({ name: "cluster-test-agent", version: "1.0.0" });
      try {
        await client.connect(
          new StreamableHTTPClientTransport(new URL("http://localhost:8001/mcp"), {
            requestInit: { headers: { authorization: `Bearer ${key}` } },
            fetch: async (input, init) => {
              const response = await fetch(input, init);
              const method = init?.method ?? "GET";
              if (response.status === 429) tally.limited += 1;
              else if (response.ok || (method === "GET" && response.status === 405)) tally.counted += 1;
              else tally.unexpected.push(`${method} ${response.status}`);
              return response;
            },
          }),
        );
        const stopAt = index === 0 ? mcpLimit / 2 : mcpLimit;
        while (tally.counted < stopAt && tally.limited === 0) {
          await client.callTool({ name: "taskflow_list_projects", arguments: {} }).catch((error: unknown) => {
            if (tally.limited === 0) throw error;
          });
        }
      } finally {
        await client.close();
        await forward.close();
      }
    }
    const [first, second] = answers as [(typeof answers)[number], (typeof answers)[number]];
    expect([first.unexpected, second.unexpected]).toEqual([[], []]);
    expect(first.limited).toBe(0);
    expect(second.limited).toBeGreaterThan(0);
    // One budget for both pods: the second refused once the two together had used it. (Each connection also
    // sends the SDK's initialized notification and its GET, which the server may not count: up to 2 per pod.)
    expect(first.counted).toBeGreaterThanOrEqual(mcpLimit / 2);
    expect(first.counted + second.counted).toBeGreaterThanOrEqual(mcpLimit);
    expect(first.counted + second.counted).toBeLessThanOrEqual(mcpLimit + 4);
  });
});

describe("faults", () => {
  const newLoad = () =>
    new Load({
      apiUrl: urls.api,
      mcpUrl: urls.mcp,
      projectId: work.projectId,
      keys: {
        writers: [work.agentKeys[5] as string, work.agentKeys[6] as string],
        reader: work.agentKeys[7] as string,
        mcp: work.agentKeys[2] as string,
        watcher: work.agentKeys[1] as string,
      },
      paceMs: 300,
    });

  it("an API pod deleted under load fails no request, and its replacement comes up", async () => {
    const [victim] = await readyPods(release, "api", 2);
    const load = newLoad();
    await load.start();
    await sleep(5_000);
    // `kubectl delete pod`: the graceful way (SIGTERM, the pod drains within its grace period)
    await kubectl(["delete", "pod", victim?.name ?? "", "-n", release.namespace, "--wait=true"]);
    const replaced = await readyPods(release, "api", 2);
    expect(replaced.map((p) => p.name)).not.toContain(victim?.name);
    await sleep(5_000);
    const report = await load.stop();
    expect(report.failures).toEqual([]);
    for (const id of report.acknowledged) await call(urls.api, person, "GET", `/api/tasks/${id}`);
  });

  it("the PostgreSQL pod deleted and kept away: readiness goes false, the API recovers by itself, nothing acknowledged is lost", async () => {
    const before = await readyPods(release, "api", 2);
    const restartsBefore = before.reduce((n, p) => n + p.restarts, 0);
    const acknowledged: string[] = [];
    const refusals: number[] = [];
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        try {
          const task = await call<{ id: string }>(
            urls.api,
            work.agentKeys[5] as string,
            "POST",
            `/api/projects/${work.projectId}/tasks`,
            {
              title: `written around the database's restart, ${n}`,
            },
          );
          acknowledged.push(task.id);
        } catch (error) {
          refusals.push(error instanceof ApiError ? error.status : 0);
        }
        await sleep(200);
      }
    })();
    await sleep(3_000);
    // The StatefulSet at 0 replicas deletes the pod and keeps it away. A deleted pod alone comes back within
    // seconds on a warm node, sooner than the readiness probe's window (period × failure threshold, 20 s by
    // default), and then rightly no API pod turns unready: the CI run of 4 December saw exactly that.
    await kubectl(["scale", "statefulset", "api-postgres", "--replicas=0", "-n", release.namespace]);
    // readiness goes false on the API pods (their /health/ready needs the database)
    await waitFor(
      "an API pod not Ready while PostgreSQL is down",
      async () => (await componentPods(release.namespace, "api")).some((p) => !p.ready),
      { timeoutMs: 120_000, everyMs: 500 },
    );
    await kubectl(["scale", "statefulset", "api-postgres", "--replicas=1", "-n", release.namespace]);
    await waitFor(
      "PostgreSQL back",
      async () =>
        (await pods(release.namespace, "app.kubernetes.io/component=api-postgres")).some((p) => p.ready),
      { timeoutMs: 300_000 },
    );
    // …and comes back by itself, without a restart
    const after = await readyPods(release, "api", 2);
    expect(after.map((p) => p.name).sort()).toEqual(before.map((p) => p.name).sort());
    expect(after.reduce((n, p) => n + p.restarts, 0)).toBe(restartsBefore);
    // writes succeed again
    const settled = acknowledged.length;
    await waitFor("writes acknowledged again", async () => acknowledged.length > settled + 5, {
      timeoutMs: 60_000,
    });
    writing = false;
    await writer;
    // refused writes were told so (503 while the database was away, never a silent loss)
    expect(refusals.filter((s) => s !== 503 && s !== 0)).toEqual([]);
    for (const id of acknowledged) await call(urls.api, person, "GET", `/api/tasks/${id}`);
  });
});
