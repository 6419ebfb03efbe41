import { errorForLog } from "@taskflow/core";
import { type DestinationStream, type Logger, pino } from "pino";

/** Bytes of log lines gathered before one write to stdout, and the longest a line waits for company. */
const batchBytes = 4096;
const batchWaitMs = 1000;

/**
 * JSON logs; credentials never reach a log line, whatever a caller sends: authorization and cookie
 * headers are redacted, and errors are logged without the values of a failed query. Tests pass a
 * destination to read every line.
 *
 * Every request writes a line: to stdout they go in batches (up to 4 KiB, or after at most a second),
 * written asynchronously, not one write per line on the request's path (the API bench's profile). A
 * line is never dropped for it: stop() waits for flushLog, and pino writes what is left synchronously
 * when the process exits.
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
  return pino(
    options,
    destination ??
      pino.destination({ dest: 1, sync: false, minLength: batchBytes, periodicFlush: batchWaitMs }),
  );
}

/**
 * Resolves once every line logged so far has been written (before the process exits), or after two
 * seconds when stdout takes none (a closed pipe): exiting then still writes what is left synchronously.
 */
export function flushLog(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const giveUp = setTimeout(resolve, 2000);
    logger.flush(() => {
      clearTimeout(giveUp);
      resolve();
    });
  });
}
