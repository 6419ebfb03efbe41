// The first and the second `npm start`, timed as a person lives them: from a fresh copy of this checkout (no
// dashboard build, no data) with scripts/start.ts as its own process, until each service printed that it is
// ready; Ctrl-C; then the same again (the build is current and the data is there). Needs npm start's ports free.
// Figures, never assertions; the machine's CPUs and load are printed beside them, since the build takes what it
// can get.
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { webDir } from "../launch.ts";
import { freshCheckout } from "../test/e2e/fresh-checkout.ts";
import {
  killIfRunning,
  type Launched,
  launchNpmStart,
  stopWithCtrlC,
} from "../test/e2e/npm-start-process.ts";

const say = (line: string) => process.stdout.write(`${line}\n`);
const ports = [3000, 3001, 8000, 8001];
const milestones: [string, string][] = [
  ["SSO ready", "✓ sso-platform ready"],
  ["API ready", "✓ taskflow-api ready"],
  ["MCP ready", "✓ mcp-server ready"],
  ["dashboard build done", "[4/4] web-dashboard"],
  ["all four running", "TaskFlow is running"],
];

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

for (const port of ports) {
  if (!(await portFree(port))) {
    say(`port ${port} is taken: stop what holds it (a running npm start?) to run this bench`);
    process.exit(2);
  }
}

const seconds = (ms: number | undefined) => (ms === undefined ? "—" : `${(ms / 1000).toFixed(1)} s`);
const checkout = freshCheckout(join(webDir, "..", ".."));
const dataDir = mkdtempSync(join(tmpdir(), "taskflow-start-bench-"));
const rows: string[][] = [];
let run: Launched | undefined;
try {
  for (const label of ["first start (builds the dashboard)", "second start"]) {
    const load = loadavg()[0]?.toFixed(1);
    say(`${label}…`);
    run = launchNpmStart(checkout.root, dataDir);
    await run.waitFor("TaskFlow is running", 1_200_000);
    const started = run;
    rows.push([label, ...milestones.map(([, text]) => seconds(started.printedAt(text))), load ?? "—"]);
    await stopWithCtrlC(run);
  }
} finally {
  await killIfRunning(run);
  checkout.remove();
  rmSync(dataDir, { recursive: true, force: true });
}

const header = ["npm start", ...milestones.map(([name]) => name), "load avg"];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
say(
  `\nnpm start, from a fresh copy of the checkout (${availableParallelism()} CPUs); time since the launch:`,
);
say(line(header));
say(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
for (const row of rows) say(line(row));
