// The copy button's logic, apart from React: write to the clipboard and say what happened. A browser without a
// clipboard (plain http on another host than localhost) or a refused permission is told in words, so the person
// selects the text instead of believing it was copied.

export type CopyState = "idle" | "copied" | "failed";

export async function copyText(
  clipboard: Pick<Clipboard, "writeText"> | undefined,
  value: string,
): Promise<Exclude<CopyState, "idle">> {
  if (!clipboard) return "failed";
  try {
    await clipboard.writeText(value);
    return "copied";
  } catch {
    return "failed";
  }
}

export function copyLabel(state: CopyState, label: string): string {
  if (state === "copied") return "Copied";
  if (state === "failed") return "Copy failed: select the text";
  return label;
}
