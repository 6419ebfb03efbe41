// `BENCH_BASE_APP=<dir> node apps/web/bench/board-ab.bench.ts`: the 1,000-task board of two builds of the
// dashboard side by side on one stack, page loads alternated, so a machine whose load swings (others' builds and
// tests) weighs on both alike. <dir> holds the other build: its `.next` and its `next.config.ts`, inside this
// checkout so its modules resolve (for example `.board-base/`, from `cp -a apps/web/.next .board-base/.next`
// on the older commit). "this" is apps/web's own build, started with launch.ts's flags; "base" with Node's
// defaults, as `next start` ran before. Prints time to usable in Chromium and memory under 50 connections.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import type { Task } from "@taskflow/contracts";
import type { Browser } from "playwright-core";
import { runLoad } from "../../../bench/lib/load.ts";
import { rssSampler } from "../../../bench/lib/process-memory.ts";
import { accessTokenOf, signUpAndIn } from "../test/e2e/sign-up.ts";
import {
  dashboardSecret,
  ensureBuild,
  launchChromium,
  sessionSecret,
  startStack,
} from "../test/e2e/stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const baseApp = resolve(process.env.BENCH_BASE_APP ?? "");
const taskCount = Number(process.env.BENCH_TASKS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 10);
const say = (line: string) => process.stdout.write(`${line}\n`);
const nextBin = join(import.meta.dirname, "..", "..", "..", "node_modules", "next", "dist", "bin", "next");

if (!process.env.BENCH_BASE_APP || !existsSync(join(baseApp, ".next", "BUILD_ID"))) {
  say("BENCH_BASE_APP must name a folder holding another build's .next (see the comment at the top)");
  process.exit(2);
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const ms = (value: number) => `${value.toFixed(0)} ms`;

await ensureBuild();
const stack = await startStack();
const basePort = Number(new URL(stack.webUrl).port) + 1;
const baseUrl = `http://127.0.0.1:${basePort}`;
const base: ChildProcess = spawn(
  process.execPath,
  [nextBin, "start", "-p", String(basePort), "-H", "127.0.0.1"],
  {
    cwd: baseApp,
    env: {
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PUBLIC_URL: baseUrl,
      SSO_ISSUER: stack.ssoUrl,
      API_URL: stack.apiUrl,
      DASHBOARD_CLIENT_ID: "taskflow-dashboard",
      DASHBOARD_CLIENT_SECRET: dashboardSecret,
      SESSION_SECRET: sessionSecret,
      MCP_PUBLIC_URL: stack.mcpUrl,
    },
    stdio: "ignore",
  },
);
let browser: Browser | undefined;
try {
  for (let i = 0; ; i++) {
    if ((await fetch(`${baseUrl}/api/health`).catch(() => undefined))?.ok) break;
    if (i > 600) throw new Error("the base build did not start");
    await new Promise((r) => setTimeout(r, 100));
  }
  browser = await launchChromium(chromiumPath);
  const { context } = await signUpAndIn(stack, browser, "Bench");
  const token = await accessTokenOf(stack, context);
  const cookies = await context.cookies(stack.webUrl);
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status}`);
    return (await response.json()) as T;
  };
  // The same project as web.bench.ts: mixed priorities; a quarter started, one in twenty in review.
  const project = await api<{ id: string }>("POST", "/api/projects", { name: "Bench board" });
  const priorities = ["low", "medium", "high", "critical"];
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < taskCount; i = next++) {
        const task = await api<Task>("POST", `/api/projects/${project.id}/tasks`, {
          title: `Bench task ${i}`,
          description: "Seeded for the dashboard benchmark",
          priority: priorities[i % 4],
          tags: [`group-${i % 10}`],
        });
        if (i % 4 === 0) await api("PATCH", `/api/tasks/${task.id}/status`, { status: "in_progress" });
        if (i % 20 === 0) await api("PATCH", `/api/tasks/${task.id}/status`, { status: "review" });
      }
    }),
  );
  const board = `/projects/${project.id}`;
  const builds = [
    { name: "base", url: baseUrl, pid: base.pid ?? 0 },
    { name: "this", url: stack.webUrl, pid: stack.webPid },
  ];
  const times = new Map(
    builds.map((b) => [b.name, { cards: [] as number[], hydrated: [] as number[], live: [] as number[] }]),
  );
  for (let run = -1; run < runs; run++) {
    for (const build of run % 2 === 0 ? builds : [...builds].reverse()) {
      const fresh = await browser.newContext();
      await fresh.addCookies(cookies);
      const p = await fresh.newPage();
      p.setDefaultTimeout(60_000);
      const t0 = performance.now();
      await p.goto(`${build.url}${board}`, { waitUntil: "commit" });
      await p.locator('section[data-status="pending"] li').first().waitFor();
      const cards = performance.now() - t0;
      await p.waitForFunction(() => {
        const card = document.querySelector('section[data-status="pending"] li');
        return card !== null && Object.keys(card).some((key) => key.startsWith("__reactProps"));
      });
      const hydrated = performance.now() - t0;
      await p.locator('[data-testid="live-state"][data-state="live"]').waitFor();
      const live = performance.now() - t0;
      await fresh.close();
      if (run < 0) continue;
      const t = times.get(build.name);
      t?.cards.push(cards);
      t?.hydrated.push(Math.max(cards, hydrated));
      t?.live.push(live);
    }
  }
  const memory: string[] = [];
  for (const build of builds) {
    const html = await (
      await fetch(`${build.url}${board}`, {
        headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
      })
    ).text();
    const rss = rssSampler(build.pid);
    const load = await runLoad(
      `${build.name}, 50 connections`,
      { concurrency: 50, seconds: 10 },
      async () => {
        const response = await fetch(`${build.url}${board}`, {
          headers: { cookie: cookies.map((c) => `${c.name}=${c.value}`).join("; ") },
        });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`board answered ${response.status}`);
      },
    );
    memory.push(
      `| ${build.name} | ${(html.length / 1024).toFixed(1)} KiB | ${rss.stop().toFixed(0)} MiB | ${load.perSecond.toFixed(1)} pages/s, p50 ${ms(load.p50)}, ${load.errors} errors |`,
    );
  }
  say(
    `\n${taskCount} tasks, ${runs} runs per build alternated, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(", ")}`,
  );
  say("| build | cards visible p50 | usable (visible and hydrated) p50 | p95 | live p50 |");
  say("|---|---|---|---|---|");
  for (const build of builds) {
    const t = times.get(build.name);
    if (!t) continue;
    say(
      `| ${build.name} | ${ms(quantile(t.cards, 0.5))} | ${ms(quantile(t.hydrated, 0.5))} | ${ms(quantile(t.hydrated, 0.95))} | ${ms(quantile(t.live, 0.5))} |`,
    );
  }
  say("\n| build | board HTML | RSS at most, 50 connections | pages/s |");
  say("|---|---|---|---|");
  for (const line of memory) say(line);
} finally {
  await browser?.close();
  base.kill("SIGTERM");
  await stack.stop();
}
