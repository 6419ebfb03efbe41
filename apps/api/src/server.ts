import { EnvError, parseEnv } from "./env.ts";
import { startApi } from "./start-api.ts";

// The API process: parse the environment once, listen, drain on SIGTERM / SIGINT.
try {
  const api = await startApi(parseEnv(process.env));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`${signal}: draining taskflow-api\n`);
    await api.stop();
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
} catch (error) {
  if (error instanceof EnvError) {
    process.stderr.write(`taskflow-api cannot start: ${error.message}\n`);
    process.exit(78);
  }
  throw error;
}
