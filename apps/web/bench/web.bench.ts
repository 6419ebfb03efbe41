// `npm run bench -w apps/web`: the dashboard as a person meets it, on the whole system started the way the
// end-to-end test starts it (SSO, API and MCP server in this process on embedded databases, `next start`).
// A person signs up and signs in with Chromium; a project of 1,000 tasks is seeded through the API with their
// own access token. Prints: time to first byte of the main pages (server side, n runs), time to a usable
// board in Chromium (cards shown; hydrated and live), and the JavaScript each page ships (from the browser's
// resource timing, cold cache: over the wire and uncompressed). Figures, never assertions.
import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { runLoad } from "../../../bench/lib/load.ts";
import { processMemory, rssSampler } from "../../../bench/lib/process-memory.ts";
import { joinChunks, type Session, unseal } from "../src/lib/session-crypto.ts";
import { ensureBuild, sessionSecret, startStack } from "../test/e2e/stack.ts";

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const taskCount = Number(process.env.BENCH_TASKS ?? 1000);
const runs = Number(process.env.BENCH_RUNS ?? 20);
// `BENCH_ONLY=board`: the board's figures alone (its first byte, its memory under load, its time to usable in
// Chromium, its JavaScript), for before/after comparisons on a busy machine.
const boardOnly = process.env.BENCH_ONLY === "board";
const say = (line: string) => process.stdout.write(`${line}\n`);

if (!existsSync(chromiumPath)) {
  say(`Chromium is missing at ${chromiumPath}: apt-get install -y chromium, or set CHROMIUM_PATH`);
  process.exit(2);
}

say("building the dashboard if needed…");
await ensureBuild();
say("starting SSO, API, MCP server and dashboard…");
const stack = await startStack();
// The dashboard's resident memory once start-up's garbage has had time to go, before any page is asked for.
await new Promise((resolve) => setTimeout(resolve, 5_000));
const webIdleMiB = processMemory(stack.webPid).currentMiB;
const browser = await chromium.launch({
  executablePath: chromiumPath,
  args: [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
});

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}
const ms = (value: number) => `${value.toFixed(0)} ms`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

function table(title: string, header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  say(`\n${title}`);
  say(line(header));
  say(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) say(line(row));
}

try {
  // A person signs up (mail over SMTP) and signs in.
  const context = await browser.newContext();
  const page = await context.newPage();
  page.setDefaultTimeout(60_000);
  const email = `bench-${Date.now()}@example.com`;
  const password = "correct horse battery staple";
  await page.goto(`${stack.webUrl}/api/auth/login`);
  await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
  await page.getByRole("link", { name: "Create an account" }).click();
  await page.getByLabel("Name").fill("Bench Person");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  const mail = await stack.smtp.waitFor(email);
  const link = mail.text.match(/https?:\/\/[^\s"'<>]+/g)?.find((url) => url.includes("verify"));
  if (!link) throw new Error("no verification link in the mail");
  await page.goto(link);
  await page.waitForURL(`${stack.ssoUrl}/sign-in**`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${stack.webUrl}/`);

  // Their access token, from their own session cookie (the bench knows the session secret).
  const cookies = await context.cookies(stack.webUrl);
  const sealed = joinChunks((name) => cookies.find((c) => c.name === name)?.value, "tf_session");
  const session = await unseal<Session>(sealed, sessionSecret, "session");
  if (!session) throw new Error("could not read the session");
  const cookieHeader = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${stack.apiUrl}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${session.accessToken}`,
        ...(body ? { "content-type": "application/json" } : {}),
      },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  // The project: 1,000 tasks, mixed priorities; a quarter started, one in twenty in review.
  const project = await api<{ id: string }>("POST", "/api/projects", { name: "Bench board" });
  say(`seeding ${taskCount} tasks…`);
  const priorities = ["low", "medium", "high", "critical"];
  const ids: string[] = [];
  const seedStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let i = next++; i < taskCount; i = next++) {
        const task = await api<{ id: string }>("POST", `/api/projects/${project.id}/tasks`, {
          title: `Bench task ${i}`,
          description: "Seeded for the dashboard benchmark",
          priority: priorities[i % 4],
          tags: [`group-${i % 10}`],
        });
        ids[i] = task.id;
        if (i % 4 === 0) await api("PATCH", `/api/tasks/${task.id}/status`, { status: "in_progress" });
        if (i % 20 === 0) await api("PATCH", `/api/tasks/${task.id}/status`, { status: "review" });
      }
    }),
  );
  say(`seeded in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
  const board = `/projects/${project.id}`;
  const allPages: [string, string][] = [
    ["home", "/"],
    ["projects", "/projects"],
    ["board (1,000 tasks)", board],
    ["tasks list (1,000 tasks)", `${board}/tasks`],
    ["tasks list, search + filter", `${board}/tasks?q=task%2099&status=pending,in_progress`],
    ["task page", `/tasks/${ids[0]}`],
    ["project activity", `${board}/activity`],
    ["project settings", `${board}/settings`],
    ["agents", "/agents"],
    ["connect an agent", "/connect"],
  ];
  const pages = boardOnly ? allPages.filter(([, path]) => path === board) : allPages;

  // Time to first byte and to the whole HTML, from the server, signed in (warm: one run each first).
  const ttfbRows: string[][] = [];
  for (const [label, path] of pages) {
    const first: number[] = [];
    const whole: number[] = [];
    let bytes = 0;
    for (let run = -1; run < runs; run++) {
      const t0 = performance.now();
      const response = await fetch(`${stack.webUrl}${path}`, {
        headers: { cookie: cookieHeader },
        redirect: "manual",
      });
      const t1 = performance.now();
      const html = await response.text();
      const t2 = performance.now();
      if (response.status !== 200) throw new Error(`${path} answered ${response.status}`);
      if (run < 0) continue;
      first.push(t1 - t0);
      whole.push(t2 - t0);
      bytes = html.length;
    }
    ttfbRows.push([
      label,
      ms(quantile(first, 0.5)),
      ms(quantile(first, 0.95)),
      ms(quantile(whole, 0.5)),
      kib(bytes),
    ]);
  }

  // The dashboard's memory at most while 50 connections ask for the 1,000-task board (server rendering).
  const webRss = rssSampler(stack.webPid);
  const boardLoad = await runLoad("board, 50 connections", { concurrency: 50, seconds: 10 }, async () => {
    const response = await fetch(`${stack.webUrl}${board}`, { headers: { cookie: cookieHeader } });
    await response.arrayBuffer();
    if (response.status !== 200) throw new Error(`board answered ${response.status}`);
  });
  const webPeakMiB = webRss.stop();

  // A usable board in Chromium: navigation → cards shown → hydrated and live (its event stream open).
  const boardRuns: {
    ttfb: number;
    dcl: number;
    cards: number;
    hydrated: number;
    usable: number;
    live: number;
  }[] = [];
  for (let run = 0; run < Math.min(runs, 10); run++) {
    const fresh = await browser.newContext();
    await fresh.addCookies(cookies);
    const p = await fresh.newPage();
    const t0 = performance.now();
    await p.goto(`${stack.webUrl}${board}`, { waitUntil: "commit" });
    await p.locator('section[data-status="pending"] li').first().waitFor();
    const cards = performance.now() - t0;
    // Hydrated: React has attached its props to a card (its handlers work: drag, keys, "Move to…").
    await p.waitForFunction(() => {
      const card = document.querySelector('section[data-status="pending"] li');
      return card !== null && Object.keys(card).some((key) => key.startsWith("__reactProps"));
    });
    const hydrated = performance.now() - t0;
    await p.locator('[data-testid="live-state"][data-state="live"]').waitFor();
    const live = performance.now() - t0;
    const nav = await p.evaluate(() => {
      const entry = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
      return {
        ttfb: entry.responseStart - entry.startTime,
        dcl: entry.domContentLoadedEventEnd - entry.startTime,
      };
    });
    boardRuns.push({ ...nav, cards, hydrated, usable: Math.max(cards, hydrated), live });
    await fresh.close();
  }

  // JavaScript per page: every script the page loads, cold cache, until the network is idle.
  const jsRows: string[][] = [];
  for (const [label, path] of pages) {
    const fresh: BrowserContext = await browser.newContext();
    await fresh.addCookies(cookies);
    const p: Page = await fresh.newPage();
    await p.goto(`${stack.webUrl}${path}`, { waitUntil: "networkidle" });
    const scripts = await p.evaluate(() =>
      (performance.getEntriesByType("resource") as PerformanceResourceTiming[])
        .filter((e) => e.initiatorType === "script" || /\.js(\?|$)/.test(e.name))
        .map((e) => ({ wire: e.encodedBodySize, raw: e.decodedBodySize })),
    );
    jsRows.push([
      label,
      String(scripts.length),
      kib(scripts.reduce((sum, s) => sum + s.wire, 0)),
      kib(scripts.reduce((sum, s) => sum + s.raw, 0)),
    ]);
    await fresh.close();
  }

  say(
    `\nNode ${process.version}, ${taskCount} tasks in the board's project, ${runs} runs per page (after one warm-up).`,
  );
  // The machine is shared: its load says how far these figures can be compared with another run's.
  say(
    `Load average (1, 5, 15 min) at the end: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(", ")}`,
  );
  table(
    "Time to first byte, signed in (server; Node fetch)",
    ["page", "TTFB p50", "TTFB p95", "full HTML p50", "HTML"],
    ttfbRows,
  );
  const pick = (key: keyof (typeof boardRuns)[number]) => boardRuns.map((r) => r[key]);
  table(
    `Usable board in Chromium, 1,000-task project, cold context (${boardRuns.length} runs)`,
    ["step", "p50", "p95"],
    [
      ["first byte (navigation timing)", ms(quantile(pick("ttfb"), 0.5)), ms(quantile(pick("ttfb"), 0.95))],
      ["DOMContentLoaded", ms(quantile(pick("dcl"), 0.5)), ms(quantile(pick("dcl"), 0.95))],
      ["cards visible", ms(quantile(pick("cards"), 0.5)), ms(quantile(pick("cards"), 0.95))],
      [
        "hydrated (a card's handlers attached)",
        ms(quantile(pick("hydrated"), 0.5)),
        ms(quantile(pick("hydrated"), 0.95)),
      ],
      [
        "usable (cards visible and hydrated)",
        ms(quantile(pick("usable"), 0.5)),
        ms(quantile(pick("usable"), 0.95)),
      ],
      [
        "hydrated and live (event stream open)",
        ms(quantile(pick("live"), 0.5)),
        ms(quantile(pick("live"), 0.95)),
      ],
    ],
  );
  table(
    "The dashboard's resident memory (`next start`)",
    ["idle after start", "at most, 50 connections on the board", "board under that load"],
    [
      [
        `${webIdleMiB.toFixed(0)} MiB`,
        `${webPeakMiB.toFixed(0)} MiB`,
        `${boardLoad.perSecond.toFixed(1)} pages/s, p50 ${ms(boardLoad.p50)}, p99 ${ms(boardLoad.p99)}, ${boardLoad.errors} errors`,
      ],
    ],
  );
  table(
    "JavaScript shipped per page (cold cache)",
    ["page", "scripts", "over the wire", "uncompressed"],
    jsRows,
  );
} finally {
  await browser.close();
  await stack.stop();
}
