/** A closed-loop load: `concurrency` workers each run `operation` back to back until time is up. */
export interface LoadResult {
  label: string;
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** The first failure's message, so a column of errors is never a mystery. */
  firstError?: string;
}

export async function runLoad(
  label: string,
  options: { concurrency: number; seconds: number },
  operation: (worker: number, iteration: number) => Promise<void>,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  const deadline = performance.now() + options.seconds * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async (_, worker) => {
      for (let i = 0; performance.now() < deadline; i++) {
        const t0 = performance.now();
        try {
          await operation(worker, i);
          latencies.push(performance.now() - t0);
        } catch (error) {
          errors++;
          firstError ??= error instanceof Error ? error.message : String(error);
        }
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    label,
    requests: latencies.length,
    errors,
    seconds,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
    max: latencies.at(-1) ?? 0,
    ...(firstError ? { firstError } : {}),
  };
}

/** Prints results side by side, one row each. */
export function printTable(title: string, rows: (LoadResult & { note?: string })[]): void {
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(44) : c.padStart(10))).join(" ");
  process.stdout.write(`\n${title}\n`);
  process.stdout.write(`${line(["", "req/s", "p50 ms", "p99 ms", "max ms", "requests", "errors"])}\n`);
  for (const r of rows) {
    process.stdout.write(
      `${line([
        r.label,
        r.perSecond.toFixed(0),
        r.p50.toFixed(1),
        r.p99.toFixed(1),
        r.max.toFixed(1),
        String(r.requests),
        String(r.errors),
      ])}${r.note ? `  ${r.note}` : ""}\n`,
    );
    if (r.firstError) process.stdout.write(`    first error: ${r.firstError.slice(0, 300)}\n`);
  }
}

/** Runs `operation` exactly `total` times, `concurrency` at a time (seeding); the first failure rejects. */
export async function runTimes(
  total: number,
  concurrency: number,
  operation: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, total) }, async () => {
      while (next < total) await operation(next++);
    }),
  );
}
