/**
 * An error as a log line may show it: name, message, stack, code and cause (recursively), without
 * the values a failed query carried. Drizzle puts the query's values in its message (`params: …`)
 * and in `params`; PostgreSQL quotes the offending value in its own message (`invalid input syntax
 * for type integer: "…"`) and in `detail` (`Key (email)=(…)`). Those values can be a webhook secret,
 * a key's hash or someone's email, and a log line must never carry them. What stays: the SQL text,
 * the SQLSTATE, and the constraint, table and column names.
 */
export function errorForLog(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: "(a thrown value that is not an Error)" };
  const fields = error as Error & Record<string, unknown>;
  const sqlState = typeof fields.code === "string" && /^[0-9A-Z]{5}$/.test(fields.code);
  const clean = (text: string) => (sqlState ? withoutQuotedValues(withoutParams(text)) : withoutParams(text));
  const names = Object.fromEntries(
    ["constraint", "table", "column", "schema"].flatMap((k) =>
      typeof fields[k] === "string" ? [[k, fields[k]]] : [],
    ),
  );
  return {
    type: error.name,
    message: clean(error.message),
    ...(error.stack ? { stack: cleanStack(error.stack, clean) } : {}),
    ...(typeof fields.code === "string" ? { code: fields.code } : {}),
    ...(typeof fields.query === "string" ? { query: fields.query } : {}),
    ...names,
    ...(fields.cause !== undefined && depth < 5 ? { cause: errorForLog(fields.cause, depth + 1) } : {}),
  };
}

/** `Failed query: …\nparams: a,b` → `Failed query: …\nparams: [redacted]`. */
function withoutParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, "\nparams: [redacted]");
}

/** `invalid input syntax for type integer: "whsec_…"` → `… integer: "[redacted]"`. */
function withoutQuotedValues(text: string): string {
  return text.replace(/"[^"\n]*"/g, '"[redacted]"').replace(/=\([^\n]*\)/g, "=([redacted])");
}

/** The stack's first lines repeat the message: clean them the same way; the frames stay. */
function cleanStack(stack: string, clean: (text: string) => string): string {
  const frames = stack.search(/\n {4}at /);
  return frames < 0 ? clean(stack) : clean(stack.slice(0, frames)) + stack.slice(frames);
}
