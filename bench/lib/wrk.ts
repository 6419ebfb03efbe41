import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LoadResult } from "./load.ts";

/**
 * wrk (Debian's `wrk`), the load generator: a C program in its own process, so the client's work never
 * shares the server's event loop (nor, much, its CPUs). One thread keeps `connections` connections
 * busy back to back (closed loop) for `seconds`; each request is built by a Lua `request()` that picks
 * the caller (bearer credential and client address) and the operation's path and body.
 */
export interface WrkPlan {
  label: string;
  baseUrl: string;
  connections: number;
  seconds: number;
  /** Bearer credentials; request n is sent by credentials[n % length], from addresses[n % length]. */
  credentials: string[];
  addresses: string[];
  /**
   * Lua statements that set `method`, `path` and `body` (nil for none) for request number `n`
   * (1, 2, …); they may use the `data` table given here.
   */
  operation: string;
  data?: Record<string, string[]>;
}

export function wrkAvailable(): boolean {
  return spawnSync("wrk", ["--version"], { stdio: "ignore" }).error === undefined;
}

const luaString = (text: string) => `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const luaList = (values: string[]) => `{ ${values.map(luaString).join(", ")} }`;

function script(plan: WrkPlan): string {
  const data = Object.entries(plan.data ?? {})
    .map(([name, values]) => `data.${name} = ${luaList(values)}`)
    .join("\n");
  return `
local credentials = ${luaList(plan.credentials)}
local addresses = ${luaList(plan.addresses)}
data = {}
${data}
local n = 0
first_error = ""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- wrk calls request() once before the run to count the requests it returns (script_verify_request) and never
-- sends that one: it must not take a number, or request 1 (the first task's first status change) is never sent.
local verified = false

request = function()
  if not verified then
    verified = true
    return wrk.format("GET", "/")
  end
  n = n + 1
  local method, path, body = "GET", "/", nil
  ${plan.operation}
  local who = (n % #credentials) + 1
  local headers = {
    ["Authorization"] = "Bearer " .. credentials[who],
    ["X-Forwarded-For"] = addresses[(n % #addresses) + 1],
  }
  if body ~= nil then headers["Content-Type"] = "application/json" end
  return wrk.format(method, path, headers, body)
end

response = function(status, headers, body)
  if status >= 300 and first_error == "" then
    first_error = status .. " " .. string.sub(string.gsub(body or "", "%s+", " "), 1, 300)
  end
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK_RESULT %d %d %d %d %d %d %d %.0f %.0f %.0f\\n",
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max))
  for _, thread in ipairs(threads) do
    local err = thread:get("first_error")
    if err ~= nil and err ~= "" then io.write("WRK_FIRST_ERROR " .. err .. "\\n") end
  end
end
`;
}

/** Runs wrk once; what it measured, as the other loads report it. */
export async function runWrk(plan: WrkPlan): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), "taskflow-wrk-"));
  const file = join(dir, "plan.lua");
  writeFileSync(file, script(plan));
  try {
    const output = await new Promise<string>((resolve, reject) => {
      const child = spawn(
        "wrk",
        ["-t1", `-c${plan.connections}`, `-d${plan.seconds}s`, "--timeout", "10s", "-s", file, plan.baseUrl],
        { stdio: ["ignore", "pipe", "inherit"] },
      );
      let text = "";
      child.stdout.on("data", (chunk: Buffer) => {
        text += chunk.toString();
      });
      child.once("error", reject);
      child.once("exit", (code) =>
        code === 0 ? resolve(text) : reject(new Error(`wrk exited with ${code}`)),
      );
    });
    const result = /WRK_RESULT (.+)/.exec(output)?.[1]?.split(" ").map(Number);
    if (!result) throw new Error(`wrk printed no result:\n${output}`);
    const [requests, durationUs, connect, read, write, status, timeout, p50, p99, max] = result as number[];
    const errors = (connect ?? 0) + (read ?? 0) + (write ?? 0) + (status ?? 0) + (timeout ?? 0);
    const seconds = (durationUs ?? 0) / 1e6;
    const succeeded = (requests ?? 0) - (status ?? 0);
    const firstError = /WRK_FIRST_ERROR (.+)/.exec(output)?.[1];
    return {
      label: plan.label,
      requests: succeeded,
      errors,
      seconds,
      perSecond: succeeded / seconds,
      p50: (p50 ?? 0) / 1000,
      p99: (p99 ?? 0) / 1000,
      max: (max ?? 0) / 1000,
      ...(firstError ? { firstError } : {}),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
