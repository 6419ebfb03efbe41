import { readFileSync } from "node:fs";

/** Peak and current resident memory of a process, in MiB, from /proc (Linux). */
export function processMemory(pid: number): { peakMiB: number; currentMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { peakMiB: field("VmHWM"), currentMiB: field("VmRSS") };
}
