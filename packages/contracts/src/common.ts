import { z } from "@hono/zod-openapi";

export const Id = z
  .uuid()
  .openapi({ description: "Identifier (UUID)", example: "7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e11" });
export const Timestamp = z.iso.datetime({ offset: true }).openapi({ example: "2026-11-24T12:00:00.000Z" });

// Every date a client sends lies in the years 1900 to 9999 (UTC). Outside them a date is a typo, not a plan,
// and it does not survive PostgreSQL: year 0 does not exist there (a filter `dueBefore=0000-01-01T00:00:00Z`
// failed with 22008 and answered 500), and a stored date comes back as text that JavaScript's Date reads
// wrong (year 0001 as 2001, year 0030 as no date at all).
const earliestDate = Date.UTC(1900, 0, 1);
const latestDate = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

/** The range rule, for every date a client sends (and every date the domain computes to store). */
export function isInDateRange(date: Date): boolean {
  const time = date.getTime();
  return time >= earliestDate && time <= latestDate;
}

export const dateOutOfRange = "must be between 1900-01-01 and 9999-12-31 (UTC)";

/**
 * The one schema of every date input, in a body or a query, REST and MCP alike (`dueAt`, `dueBefore`,
 * `dueAfter`, and any date a request takes from now on): ISO 8601 with an offset, in the years 1900 to
 * 9999 (UTC). A well-formed date outside them is refused with 422 naming the field (it parses, it cannot
 * be applied), anything else with 400.
 */
export const DateInput = z.iso
  .datetime({ offset: true })
  .refine((value) => isInDateRange(new Date(value)), {
    message: dateOutOfRange,
    params: { dateOutOfRange: true },
  })
  .openapi({
    description: "ISO 8601 with an offset, in the years 1900 to 9999 (UTC)",
    example: "2026-11-24T12:00:00.000Z",
  });

/** Whether a validation issue is a well-formed date outside the range (422, where other issues are 400). */
export function isDateOutOfRangeIssue(issue: { code: string; params?: unknown }): boolean {
  return (
    issue.code === "custom" &&
    typeof issue.params === "object" &&
    issue.params !== null &&
    (issue.params as { dateOutOfRange?: unknown }).dateOutOfRange === true
  );
}

/** What `String.prototype.trim` (and zod's `.trim()`) removes: blank text is refused after trimming. */
export const trimmedCharacters =
  "\\t\\n\\x0b\\x0c\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff";
/** PostgreSQL cannot store the NUL character in text: it is refused up front, and the schema says so. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: refusing NUL is the point of this pattern
export const withoutNul = /^[^\u0000]*$/;
/** Some character that is not trimmed away, and no NUL anywhere (linear: a lookahead, then one scan). */
const notBlank = new RegExp(`^(?![${trimmedCharacters}]*$)[^\\u0000]*$`);

/** Free text that may be empty (descriptions). The length is checked before anything is trimmed. */
export function text(max: number) {
  return z.string().max(max).regex(withoutNul, "must not contain NUL (\\u0000) characters");
}

/**
 * Text that must say something (titles, names, notes): at most `max` characters as sent, not blank,
 * no NUL; stored trimmed. Published as maxLength and a pattern, so what the schema accepts the API does.
 */
export function requiredText(max: number) {
  return z
    .string()
    .max(max)
    .regex(notBlank, "must not be blank or contain NUL (\\u0000) characters")
    .trim()
    .min(1);
}

/** Accepts a cursor handed out by a previous page, opaque to clients. */
export const Cursor = z.string().min(1).max(512).openapi({ description: "Opaque cursor from `nextCursor`" });
export const PageLimit = z.coerce
  .number()
  .int()
  .min(1)
  .max(100)
  .default(50)
  .openapi({ description: "Page size, 1–100" });

export function page<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z
        .string()
        .nullable()
        .openapi({ description: "Pass as `cursor` for the next page; null at the end" }),
    })
    .openapi(name);
}

export const Problem = z
  .object({
    type: z.string().openapi({ example: "https://taskflow.dev/problems/invalid-input" }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    code: z.string().openapi({ description: "Stable machine-readable error code" }),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: "The fields that are wrong" }),
    allowed: z
      .array(z.string())
      .optional()
      .openapi({ description: "Allowed status transitions, for 409 answers" }),
    currentVersion: z.number().int().optional(),
  })
  .catchall(z.unknown())
  .openapi("Problem");
export type Problem = z.infer<typeof Problem>;
