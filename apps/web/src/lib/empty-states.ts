// What an empty list says: what it would hold, and what to do next. One place, so every list words it alike.

/** A board column with no card: where cards come from, per column. */
export const emptyColumn: Record<string, string> = {
  pending: "No task waiting. Add one with “New task” below.",
  in_progress: "Nothing in progress. Move a card here, or let an agent claim one.",
  review: "Nothing to review. Tasks land here when their worker asks for review.",
  blocked: "Nothing blocked.",
  completed: "Nothing done yet. Approved tasks land here.",
};
