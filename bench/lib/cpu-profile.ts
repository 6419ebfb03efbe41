import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
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

/**
 * The self time of a `--cpu-prof` profile (the newest .cpuprofile in `dir`), by owner and by function:
 * where the process's CPU went, without a profiler UI.
 */
export function summarizeProfile(dir: string, top = 15): string {
  const file = readdirSync(dir)
    .filter((f) => f.endsWith(".cpuprofile"))
    .sort()
    .at(-1);
  if (!file) return `no profile in ${dir}`;
  const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => {
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
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
  const lines = [`CPU profile ${file}: ${(busy / 1e6).toFixed(2)} s busy`, "  by owner (self time):"];
  for (const [who, us] of [...byOwner].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`    ${share(us)}  ${who}`);
  }
  lines.push("  by function (self time):");
  for (const [name, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, top)) {
    lines.push(`    ${share(us)}  ${name}`);
  }
  return lines.join("\n");
}
