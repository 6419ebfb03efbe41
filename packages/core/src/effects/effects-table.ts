import type { Effect } from "./effect-paths.ts";

/**
 * The effects as the Markdown table packages/core/README.md shows between its `effects` markers: one
 * row per effect, its deciding function, what it needs, and every path to it.
 */
export function renderEffectsTable(effects: readonly Effect[]): string {
  const transports = { rest: "REST", mcp: "MCP", dashboard: "dashboard" } as const;
  const rows = effects.map((effect) => {
    const paths = effect.paths
      .map((p) => {
        const needs = p.permission ? ` (\`${p.permission}\`)` : "";
        return `${transports[p.transport]}: \`${p.path}\`${needs}`;
      })
      .join("<br>");
    return `| ${effect.name} | ${effect.what} | \`${effect.decidedBy.fn}\` (\`src/${effect.decidedBy.file}\`) | \`${effect.permission}\` | ${paths} |`;
  });
  return ["| effect | what happens | decided by | needs | paths |", "|---|---|---|---|---|", ...rows].join(
    "\n",
  );
}
