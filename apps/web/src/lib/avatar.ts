// A worker's initials avatar: what it says and how it looks. Pure, so it is tested without a browser.
import type { WorkerSummary } from "@taskflow/contracts";

/** Up to two letters: the first of the name's first two words ("Ada Lovelace" → "AL"), else of the handle. */
export function initialsOf(worker: Pick<WorkerSummary, "name" | "handle">): string {
  const words = (worker.name || "").trim().split(/\s+/).filter(Boolean);
  const letters =
    words.length >= 2
      ? [words[0], words[1]].map((w) => firstLetter(w ?? ""))
      : [firstLetter(words[0] ?? worker.handle.replace(/^@/, ""))];
  const initials = letters.join("").toUpperCase();
  return initials || "?";
}

/** The first letter or digit (an emoji or a quote mark is not an initial). */
function firstLetter(word: string): string {
  return /[\p{L}\p{N}]/u.exec(word)?.[0] ?? "";
}

/**
 * People are circles and agents rounded squares (the shape tells them apart without colour); each kind has its
 * own family of colours, picked by the worker's id so a worker always looks the same. Every pair keeps white text
 * above 4.5:1 in light and dark mode.
 */
const palettes = {
  human: ["bg-indigo-700", "bg-sky-800", "bg-teal-800", "bg-emerald-800"],
  agent: ["bg-violet-700", "bg-fuchsia-800", "bg-purple-800", "bg-pink-800"],
} as const;

export function avatarLook(worker: Pick<WorkerSummary, "id" | "kind">): { shape: string; colour: string } {
  const palette = palettes[worker.kind];
  let hash = 0;
  for (const char of worker.id) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return {
    shape: worker.kind === "agent" ? "rounded-md" : "rounded-full",
    colour: palette[hash % palette.length] ?? palette[0],
  };
}
