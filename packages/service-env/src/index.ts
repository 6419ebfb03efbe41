export { clientAddress } from "./client-address.ts";
export { type ClosableServer, closeServer, stopKeepingAlive } from "./close-server.ts";
export { EnvError, type EnvIssue, envIssues } from "./env-error.ts";
export { envFlag, envList, envProxyCount } from "./env-values.ts";
