import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A PostgreSQL server of one test's own, which the test may stop and start again (fault tests):
 * Debian's server binaries, data in a temporary folder, a free loopback port, trust auth, run as
 * the `postgres` user when we are root (initdb refuses root). Durability settings are the
 * server's defaults, so a commit it acknowledged survives an immediate stop.
 */
export interface PostgresServer {
  /** postgres://postgres@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The data directory (postmaster.pid names the server's process). */
  dataDir: string;
  /** Stops the server; `immediate` is a crash as far as clients can tell (no goodbye). */
  stop(mode?: "immediate" | "fast"): Promise<void>;
  /** Starts it again on the same port and data; resolves once it accepts connections. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  destroy(): Promise<void>;
}

function serverBinaries(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = join(root, version, "bin");
    if (existsSync(join(bin, "pg_ctl"))) return bin;
  }
  throw new Error("no PostgreSQL server binaries under /usr/lib/postgresql: apt-get install -y postgresql");
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

const asRoot = process.getuid?.() === 0;

/** Runs a server binary as `postgres` when we are root; asynchronous, so load in this process goes on. */
function asPostgres(command: string, args: string[]) {
  return asRoot ? run("runuser", ["-u", "postgres", "--", command, ...args]) : run(command, args);
}

/** `settings` are passed as `-c name=value` (a benchmark's fsync-off row); none by default. */
export async function startPostgresServer(settings: Record<string, string> = {}): Promise<PostgresServer> {
  const bin = serverBinaries();
  const dir = mkdtempSync(join(tmpdir(), "taskflow-own-pg-"));
  if (asRoot) await run("chown", ["postgres", dir]);
  const data = join(dir, "data");
  const port = await freePort();
  await asPostgres(join(bin, "initdb"), [
    "-D",
    data,
    "-U",
    "postgres",
    "--auth=trust",
    "--encoding=UTF8",
    "--no-locale",
  ]);
  const start = async () => {
    await asPostgres(join(bin, "pg_ctl"), [
      "-D",
      data,
      "-l",
      join(dir, "server.log"),
      "-w",
      "-o",
      [
        `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c max_connections=200`,
        ...Object.entries(settings).map(([name, value]) => `-c ${name}=${value}`),
      ].join(" "),
      "start",
    ]);
  };
  const stop = async (mode: "immediate" | "fast" = "immediate") => {
    await asPostgres(join(bin, "pg_ctl"), ["-D", data, "-m", mode, "-w", "stop"]);
  };
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    dataDir: data,
    start,
    stop,
    destroy: async () => {
      await stop().catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
