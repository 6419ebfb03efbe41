import { errorForLog } from "@taskflow/core";
import { type DestinationStream, pino } from "pino";

/**
 * JSON logs; credentials never reach a log line, whatever a caller sends: authorization and cookie
 * headers are redacted, and errors are logged without the values of a failed query. Tests pass a
 * destination to read every line.
 */
export function createLogger(level: string, destination?: DestinationStream) {
  const options = {
    level,
    base: { service: "taskflow-api" },
    serializers: { err: errorForLog },
    redact: {
      paths: [
        "req.headers.authorization",
        "req.headers.cookie",
        "headers.authorization",
        "*.password",
        "*.key",
        "*.secret",
      ],
      censor: "[redacted]",
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
