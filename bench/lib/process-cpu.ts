import { readdirSync, readFileSync } from "node:fs";

/** Clock ticks per second of /proc's CPU times (USER_HZ: 100 on Linux). */
const ticksPerSecond = 100;

/** CPU seconds (user + system) a process has used so far, from /proc (Linux); 0 once it is gone. */
export function cpuSeconds(pid: number): number {
  try {
    // The command name (field 2) may hold spaces: count fields after its closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
  } catch {
    return 0;
  }
}

/** The children of a process (PostgreSQL's backends and workers under its postmaster). */
function childrenOf(pid: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === pid) children.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return children;
}

/**
 * CPU seconds used by a process tree between `start()` and `stop()`: a PostgreSQL server (the postmaster
 * and every backend), or one Node process. Backends that exit meanwhile are counted up to their last
 * reading.
 */
export function cpuMeter(pid: number, options: { children: boolean }) {
  const readings = new Map<number, { first: number; last: number }>();
  const read = () => {
    for (const id of [pid, ...(options.children ? childrenOf(pid) : [])]) {
      const now = cpuSeconds(id);
      const known = readings.get(id);
      if (known) known.last = Math.max(known.last, now);
      else readings.set(id, { first: now, last: now });
    }
  };
  read();
  return {
    /** Read again now (call now and then during a run, so short-lived backends are caught). */
    sample: read,
    /** CPU seconds used since the meter started. */
    stop(): number {
      read();
      let total = 0;
      for (const { first, last } of readings.values()) total += last - first;
      return total;
    },
  };
}
