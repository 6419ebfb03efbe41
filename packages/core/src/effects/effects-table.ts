import type { ScopedAction } from "../authorization/token-scopes.ts";
import { taskTransitions } from "../tasks/task-transitions.ts";
import type { Effect } from "./effect-paths.ts";

const transports = { rest: "REST", mcp: "MCP", dashboard: "dashboard", stream: "stream" } as const;

const listNeeds = (needs: readonly ScopedAction[]) =>
  needs.length === 0 ? "nothing" : needs.map((n) => `\`${n}\``).join(" + ");

/** What an effect needs, in words: its permissions, or for a status change what each move needs (transition table). */
function needsOf(effect: Effect): string {
  if (effect.moves) {
    const { to, from } = effect.moves;
    return from
      .map((status) => {
        const moves: Partial<Record<string, ScopedAction>> = taskTransitions[status];
        return `\`${moves[to]}\` (from ${status})`;
      })
      .join("<br>");
  }
  const keyAction = effect.keyAction ? ` (key action \`${effect.keyAction}\`)` : "";
  return `${listNeeds(effect.needs)}${keyAction}`;
}

/**
 * The effects as the Markdown table packages/core/README.md shows between its `effects` markers: one
 * row per effect, its deciding function, what it needs, and every path to it.
 */
export function renderEffectsTable(effects: readonly Effect[]): string {
  const rows = effects.map((effect) => {
    const paths = effect.paths
      .map((p) => {
        const notes = [
          ...(p.needs ? [`needs ${listNeeds(p.needs)}`] : []),
          ...(p.from ? [`from ${p.from.join(", ")}`] : []),
        ];
        return `${transports[p.transport]}: \`${p.path}\`${notes.length ? ` (${notes.join("; ")})` : ""}`;
      })
      .join("<br>");
    return `| ${effect.name} | ${effect.what} | \`${effect.decidedBy.fn}\` (\`src/${effect.decidedBy.file}\`) | ${needsOf(effect)} | ${paths} |`;
  });
  return ["| effect | what happens | decided by | needs | paths |", "|---|---|---|---|---|", ...rows].join(
    "\n",
  );
}
