import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  /** Microseconds on the machine's monotonic clock (process.hrtime's, in any process). */
  startTime: number;
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Who a frame belongs to: a package, one of ours, Node itself, or V8's own work. */
function owner(url: string, name: string): string {
  if (!url) return name.startsWith("(") ? name : "(native)";
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1] as string;
  const ours = /\/(apps\/[^/]+|packages\/[^/]+)\//.exec(url);
  if (ours) return ours[1] as string;
  if (url.startsWith("node:")) return "node (built-ins)";
  return url;
}

/** Now on the clock a profile's sample times are on, for `summarizeProfile`'s `fromUs`. */
export const profileClockUs = (): number => Number(process.hrtime.bigint() / 1000n);

/**
 * The self time of a `--cpu-prof` profile (the newest .cpuprofile in `dir`), by owner and by function:
 * where the process's CPU went, without a profiler UI. With `fromUs` (profileClockUs when the load began)
 * only the samples from then on count: a profile starts with the process, and loading its modules
 * (resolving packages, compiling TypeScript) is seconds of CPU that no request pays.
 */
export function summarizeProfile(dir: string, top = 15, fromUs?: number): string {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort()
    .at(-1);
  if (!file) return `no profile in ${dir}`;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  let startupUs = 0;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    at += delta;
    if (fromUs !== undefined && at < fromUs) {
      if (byId.get(id)?.callFrame.functionName !== "(idle)") startupUs += delta;
      return;
    }
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
  });
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") continue;
    busy += us;
    const who = owner(url, functionName);
    byOwner.set(who, (byOwner.get(who) ?? 0) + us);
    const where = url ? `${url.replace(/^.*\/(node_modules|apps|packages)\//, "$1/")}:${lineNumber + 1}` : "";
    const key = `${functionName || "(anonymous)"} ${where}`.trim();
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
  }
  const share = (us: number) => `${((us / busy) * 100).toFixed(1).padStart(5)} %`;
  const window =
    fromUs === undefined
      ? "from the process's start"
      : `under the load only (${(startupUs / 1e6).toFixed(2)} s busy before it, starting up, left out)`;
  const lines = [
    `CPU profile ${file}: ${(busy / 1e6).toFixed(2)} s busy ${window}`,
    "  by owner (self time):",
  ];
  for (const [who, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`    ${share(us)}  ${who}`);
  }
  lines.push("  by function (self time):");
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`    ${share(us)}  ${name}`);
  }
  return lines.join("\n");
}
