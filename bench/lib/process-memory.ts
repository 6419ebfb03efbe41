import { readFileSync } from "node:fs";

/** Peak and current resident memory of a process, in MiB, from /proc (Linux). */
export function processMemory(pid: number): { peakMiB: number; currentMiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) / 1024;
  return { peakMiB: field("VmHWM"), currentMiB: field("VmRSS") };
}

/**
 * The most resident memory a process had while a load ran, sampled every `everyMs` (VmHWM would also
 * count start-up, which loads and compiles every module once).
 */
export function rssSampler(pid: number, everyMs = 100) {
  let max = 0;
  const sample = () => {
    try {
      max = Math.max(max, processMemory(pid).currentMiB);
    } catch {
      // the process is gone
    }
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop(): number {
      clearInterval(timer);
      sample();
      return max;
    },
  };
}
