import { errorForLog } from "@taskflow/core";
import { type DestinationStream, pino } from "pino";

/**
 * JSON logs (to stderr for the stdio entry, whose stdout carries the protocol). Credentials never
 * reach a log line: authorization headers and keys are redacted, and errors are logged without the
 * values of a failed query. Tests pass a stream to read every line.
 */
export function createLogger(level: string, destination: 1 | 2 | DestinationStream = 1) {
  return pino(
    {
      level,
      base: { service: "taskflow-mcp" },
      serializers: { err: errorForLog },
      redact: {
        paths: ["headers.authorization", "*.authorization", "*.apiKey", "*.key", "*.secret"],
        censor: "[redacted]",
      },
    },
    typeof destination === "number" ? pino.destination(destination) : destination,
  );
}
