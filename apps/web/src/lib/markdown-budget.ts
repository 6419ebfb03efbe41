// How much Markdown structure a text may carry before it is shown as plain text instead. The parser underneath
// react-markdown spends time quadratic in runs of emphasis markers (`*_` repeated 10,000 times took 10 s to render,
// and the dashboard renders on one thread for everyone), and recurses once per level of nesting (`> ` repeated
// 5,000 times overflowed the stack: a 500 for every reader of the task). Real descriptions and comments stay far
// below both bounds; a text over them still shows, word for word, as plain text.

/** `*`, `_` and `~` together: at this many the worst arrangement still renders in milliseconds. */
export const maxEmphasisMarkers = 1_500;
/** Block quotes and list items opened on one line, and spaces of indentation before them. */
export const maxLineNesting = 32;
export const maxIndentation = 128;

const nestingMarker = /(?:>|[-*+]|\d{1,9}[.)])[ \t]*/y;

/** How many quote and list markers open the line (`> > 1. - text` opens four). */
function lineNesting(line: string): number {
  let at = 0;
  while (at < line.length && (line[at] === " " || line[at] === "\t")) at++;
  if (at > maxIndentation) return Number.POSITIVE_INFINITY;
  let markers = 0;
  nestingMarker.lastIndex = at;
  while (nestingMarker.exec(line) !== null) {
    markers++;
    if (nestingMarker.lastIndex === line.length) break;
  }
  return markers;
}

/** True when the text may be rendered as Markdown; false: show it as plain text. */
export function withinMarkdownBudget(text: string): boolean {
  let emphasis = 0;
  for (const char of text) {
    if (char === "*" || char === "_" || char === "~") emphasis++;
  }
  if (emphasis > maxEmphasisMarkers) return false;
  return text.split("\n").every((line) => lineNesting(line) <= maxLineNesting);
}
