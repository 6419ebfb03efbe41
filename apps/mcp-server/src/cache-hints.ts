import type { CacheHint } from "@modelcontextprotocol/server";

/**
 * How long, and by whom, a 2026-07-28 client may cache what this server lists (`ttlMs`, `cacheScope`).
 *
 * The tool list, the prompt list, the resource templates and `server/discover` are the same for every caller:
 * every tool is listed whatever the caller's grants (a call outside them is refused 403 or `isError`, decided
 * per call), and they change only when a new version is deployed. So they may be shared between callers
 * (`public`) for a few minutes. A task read (`resources/read`) is one caller's view of live data: `private`,
 * and stale at once (`ttlMs: 0`). Should a list ever depend on the caller's grants, it must become `private`:
 * test/era-cache-hints.integration.test.ts compares the lists of callers with different grants.
 */
export const listTtlMs = 5 * 60 * 1000;

const sharedList: CacheHint = { ttlMs: listTtlMs, cacheScope: "public" };

export const cacheHints = {
  "server/discover": sharedList,
  "tools/list": sharedList,
  "prompts/list": sharedList,
  "resources/templates/list": sharedList,
  "resources/list": sharedList,
  "resources/read": { ttlMs: 0, cacheScope: "private" },
} satisfies Record<string, CacheHint>;
