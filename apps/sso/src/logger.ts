/**
 * The SSO's JSON logs: one object per line. Whatever a caller passes, credentials never reach a line:
 * fields named like a credential are replaced, errors are logged without the values of a failed
 * query, and request paths that carry a token (`/api/auth/reset-password/<token>`) lose it. Email
 * addresses (personal data) are replaced in every message and string field. Tests
 * pass a destination to read every line.
 */
export type LogLevel = "debug" | "info" | "warn" | "error";

/** Where lines go; anything with a `write(string)` (a stream, or a test's collector). */
export interface LogDestination {
  write(line: string): unknown;
}

export interface Logger {
  readonly level: LogLevel;
  enabled(level: LogLevel): boolean;
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Keys whose values are never logged, wherever they appear in a field. */
const SECRET_KEY =
  /pass(word)?|secret|token|authori[sz]ation|cookie|^code$|code_?verifier|api_?key|^key$|private|^otp$|^sig$/i;

const REDACTED = "[redacted]";

/**
 * Without destination: debug and info to stdout, warn and error to stderr (what the chart and
 * `npm start` read). With one: every line to it.
 */
export function createLogger(
  level: LogLevel,
  destination?: LogDestination,
  service = "sso-platform",
): Logger {
  const write = (lineLevel: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (ORDER[lineLevel] < ORDER[level]) return;
    const line = `${JSON.stringify({
      level: lineLevel,
      time: new Date().toISOString(),
      service,
      msg: redactText(msg),
      ...(fields ? (safeForLog(fields) as Record<string, unknown>) : {}),
    })}\n`;
    const target =
      destination ?? (lineLevel === "warn" || lineLevel === "error" ? process.stderr : process.stdout);
    target.write(line);
  };
  return {
    level,
    enabled: (candidate) => ORDER[candidate] >= ORDER[level],
    debug: (msg, fields) => write("debug", msg, fields),
    info: (msg, fields) => write("info", msg, fields),
    warn: (msg, fields) => write("warn", msg, fields),
    error: (msg, fields) => write("error", msg, fields),
  };
}

/** A request path as a log line may show it: token-bearing segments replaced. */
export function pathForLog(path: string): string {
  return path.replace(/\/reset-password\/[^/]+/g, `/reset-password/${REDACTED}`);
}

/** Any value made safe to serialise: credentials by key name, errors without query values. */
export function safeForLog(value: unknown, depth = 0): unknown {
  if (value instanceof Error) return errorForLog(value, depth);
  if (typeof value === "string") return redactText(value);
  if (value === null || typeof value !== "object") return value;
  if (depth > 5) return "[nested]";
  if (value instanceof URL) return redactText(`${value.origin}${value.pathname}`);
  if (Array.isArray(value)) return value.slice(0, 50).map((item) => safeForLog(item, depth + 1));
  if (value instanceof Headers) return "[headers]";
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : safeForLog(item, depth + 1);
  }
  return out;
}

/**
 * An email address: personal data, and Better Auth puts one in some messages ("Sign-up attempt for existing
 * email: …" at info). Loose on purpose: anything shaped like local@domain.tld goes.
 */
const EMAIL_ADDRESS = /[^\s@"'<>()[\\\]:;,]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/**
 * Free text is left alone except where it is known to carry a credential or personal data: a
 * token-bearing URL path, a query string (codes, tokens, `sig`), a bearer or basic credential, the
 * `params:` of a failed Drizzle query (its values can be a token or a password hash), and email addresses.
 */
function redactText(text: string): string {
  return pathForLog(text)
    .replace(EMAIL_ADDRESS, "[redacted email]")
    .replace(/(https?:\/\/[^\s?"']*)\?[^\s"']*/g, `$1?${REDACTED}`)
    .replace(/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`)
    .replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/g, `\nparams: ${REDACTED}`);
}

/**
 * An error as a log line may show it: name, message, SQLSTATE, constraint/table/column names and the
 * cause, without the values of a failed query (PostgreSQL quotes them in its message and `detail`).
 */
function errorForLog(error: Error, depth: number): Record<string, unknown> {
  const fields = error as Error & Record<string, unknown>;
  const sqlState = typeof fields.code === "string" && /^[0-9A-Z]{5}$/.test(fields.code);
  const clean = (text: string) => {
    const redacted = redactText(text);
    return sqlState
      ? redacted.replace(/"[^"\n]*"/g, `"${REDACTED}"`).replace(/=\([^\n]*\)/g, `=(${REDACTED})`)
      : redacted;
  };
  const names = Object.fromEntries(
    ["constraint", "table", "column", "schema", "status", "statusCode"].flatMap((key) =>
      typeof fields[key] === "string" || typeof fields[key] === "number" ? [[key, fields[key]]] : [],
    ),
  );
  return {
    type: error.name,
    message: clean(error.message),
    // Not `code` (that key is taken for OAuth codes and redacted): the error's or SQLSTATE code.
    ...(typeof fields.code === "string" ? { errorCode: fields.code } : {}),
    ...names,
    ...(fields.cause !== undefined && depth < 5
      ? {
          cause:
            fields.cause instanceof Error
              ? errorForLog(fields.cause, depth + 1)
              : safeForLog(fields.cause, depth + 1),
        }
      : {}),
  };
}
