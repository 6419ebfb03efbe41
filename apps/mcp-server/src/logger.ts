import { pino } from "pino";

/** JSON logs (to stderr for the stdio entry, whose stdout carries the protocol). */
export function createLogger(level: string, destination: 1 | 2 = 1) {
  return pino(
    {
      level,
      base: { service: "taskflow-mcp" },
      redact: { paths: ["headers.authorization", "*.authorization", "*.apiKey"], censor: "[redacted]" },
    },
    pino.destination(destination),
  );
}
