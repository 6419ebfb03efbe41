// Builds and starts the dashboard from another Node process: `npm start` (scripts/start.ts) and the end-to-end
// test. The dashboard itself is a Next.js server (`next start`, or the standalone server.js in the image).
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const webDir = import.meta.dirname;
const repoRoot = join(webDir, "..", "..");
const nextBin = join(repoRoot, "node_modules", "next", "dist", "bin", "next");
/**
 * The dashboard's heap, as the other services' (apps/api/README.md, "Memory"): smaller young-generation
 * semi-spaces (8 MiB) and a bounded old space, so many pages rendered at once cost less resident memory
 * (measured: apps/web/README.md, Benchmark). The same flags are in package.json's `start` and the image's CMD.
 */
export const webNodeFlags = ["--max-semi-space-size=8", "--max-old-space-size=256"];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** True when there is no build, or the dashboard's sources (or the contracts) changed since the last one. */
export function needsBuild(): boolean {
  const buildId = join(webDir, ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const sources = Math.max(
    newestMtime(join(webDir, "src")),
    newestMtime(join(webDir, "next.config.ts")),
    newestMtime(join(webDir, "package.json")),
    newestMtime(join(repoRoot, "packages", "contracts", "src")),
  );
  return statSync(buildId).mtimeMs <= sources;
}

/**
 * `next build` with the caller's environment (telemetry off), its output handed to onLine line by line;
 * rejects with the output when it fails, and stops the build when `signal` aborts (Ctrl-C during npm start).
 */
export function buildWeb(
  environment: NodeJS.ProcessEnv,
  onLine: (line: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [nextBin, "build"], {
      cwd: webDir,
      // A production build whatever the caller's NODE_ENV: `next build` under NODE_ENV=development fails prerendering.
      env: { ...environment, NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1" },
      ...(signal ? { signal, killSignal: "SIGTERM" as const } : {}),
    });
    let output = "";
    const take = (data: Buffer) => {
      output += data;
      for (const line of String(data).split("\n")) if (line.trim()) onLine(line);
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code}):\n${output}`)),
    );
  });
}

const buildLock = join(webDir, ".next-build.lock");
const staleLockMs = 15 * 60_000;

/** Takes the build lock (a directory: mkdir is atomic), waiting while another process builds. */
async function lockBuild(onWait: () => void): Promise<() => void> {
  let told = false;
  for (;;) {
    try {
      mkdirSync(buildLock);
      return () => rmSync(buildLock, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      // A build killed half-way leaves its lock behind; no build takes this long.
      if (Date.now() - statSync(buildLock).mtimeMs > staleLockMs) {
        rmSync(buildLock, { recursive: true, force: true });
        continue;
      }
      if (!told) onWait();
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}

// How long the last build on this machine took: `next build` keeps .next/cache across builds.
const buildTimeFile = join(webDir, ".next", "cache", "taskflow-build-seconds.json");

/** Seconds the last successful build here took, if one was timed. */
export function lastBuildSeconds(): number | undefined {
  try {
    const { seconds } = JSON.parse(readFileSync(buildTimeFile, "utf8")) as { seconds?: unknown };
    return typeof seconds === "number" && seconds > 0 ? seconds : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Builds the dashboard unless its build is current. Safe when several processes ask at once (two test files,
 * or `npm start` while the tests run): one builds, the others wait for it and find the build current.
 */
export async function ensureWebBuilt(
  environment: NodeJS.ProcessEnv,
  onLine: (line: string) => void = () => undefined,
  signal?: AbortSignal,
): Promise<"built" | "current"> {
  if (!needsBuild()) return "current";
  const unlock = await lockBuild(() => onLine("another process is building the dashboard; waiting for it…"));
  try {
    if (!needsBuild()) return "current";
    const started = performance.now();
    await buildWeb(environment, onLine, signal);
    const seconds = Math.round((performance.now() - started) / 1000);
    mkdirSync(dirname(buildTimeFile), { recursive: true });
    writeFileSync(buildTimeFile, JSON.stringify({ seconds }));
    return "built";
  } finally {
    unlock();
  }
}

/** The dashboard's session secret for the embedded default, generated once and kept under the data folder. */
export function embeddedSessionSecret(dataDir: string): string {
  const file = join(dataDir, "web-secrets.json");
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, "utf8")) as { sessionSecret?: string };
    if (saved.sessionSecret && saved.sessionSecret.length >= 32) return saved.sessionSecret;
  }
  const sessionSecret = randomBytes(32).toString("base64url");
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify({ sessionSecret }, null, 2), { mode: 0o600 });
  return sessionSecret;
}

export interface WebOptions {
  port: number;
  host: string;
  /** The dashboard's environment (apps/web/src/env.ts), PORT and HOST aside. */
  env: {
    PUBLIC_URL: string;
    SSO_ISSUER: string;
    SSO_INTERNAL_URL?: string;
    API_URL: string;
    API_AUDIENCE?: string;
    MCP_PUBLIC_URL?: string;
    DASHBOARD_CLIENT_ID: string;
    DASHBOARD_CLIENT_SECRET: string;
    SESSION_SECRET: string;
    LOG_LEVEL?: string;
  };
}

export interface RunningWeb {
  url: string;
  /** The `next start` process (a benchmark reads its memory). */
  pid: number;
  /** Everything the server printed so far. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts the built dashboard (`next start`) and waits until /api/health answers. */
export async function startWeb(options: WebOptions, timeoutMs = 60_000): Promise<RunningWeb> {
  let output = "";
  const child: ChildProcess = spawn(
    process.execPath,
    [...webNodeFlags, nextBin, "start", "-p", String(options.port), "-H", options.host],
    {
      cwd: webDir,
      env: {
        NODE_ENV: "production",
        NEXT_TELEMETRY_DISABLED: "1",
        PORT: String(options.port),
        HOST: options.host,
        ...options.env,
      },
    },
  );
  child.stdout?.on("data", (d) => (output += d));
  child.stderr?.on("data", (d) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  const url = `http://${options.host === "0.0.0.0" ? "localhost" : options.host}:${options.port}`;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the dashboard exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/api/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the dashboard did not answer ${url}/api/health within ${timeoutMs} ms:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { url, pid: child.pid as number, output: () => output, stop };
}
