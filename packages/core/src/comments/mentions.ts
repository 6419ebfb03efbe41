import { and, eq, inArray, isNull } from "drizzle-orm";
import type { TaskflowExecutor } from "../db/database.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { workers } from "../db/schema/workers.ts";

// A handle as the Handle schema has it (2–39 of a-z 0-9 . _ -, starting with a letter or digit), after an @
// that does not continue a word or an address (`ada@example.com` mentions nobody). Sentence punctuation
// after it (`thanks @ada.`) is not part of it.
const mentionPattern = /(?<![\w.@-])@([a-z0-9][a-z0-9._-]{1,38})/gi;

/** The distinct `@handles` a text mentions, lowercase, in order of first mention (at most 50). */
export function parseMentions(text: string): string[] {
  const handles = new Set<string>();
  for (const match of text.matchAll(mentionPattern)) {
    const handle = (match[1] ?? "").toLowerCase().replace(/[._-]+$/, "");
    if (handle.length >= 2) handles.add(`@${handle}`);
    if (handles.size >= 50) break;
  }
  return [...handles];
}

export interface MentionedWorker {
  id: string;
  kind: "human" | "agent";
  handle: string;
}

/** The members of a project (people and agents) a text mentions by handle; handles of anyone else name nobody. */
export async function mentionedMembers(
  db: TaskflowExecutor,
  tenantId: string,
  projectId: string,
  text: string,
): Promise<MentionedWorker[]> {
  const handles = parseMentions(text);
  if (handles.length === 0) return [];
  return db
    .select({ id: workers.id, kind: workers.kind, handle: workers.handle })
    .from(workers)
    .innerJoin(
      projectMembers,
      and(eq(projectMembers.workerId, workers.id), eq(projectMembers.projectId, projectId)),
    )
    .where(and(eq(workers.tenantId, tenantId), inArray(workers.handle, handles), isNull(workers.deletedAt)));
}
