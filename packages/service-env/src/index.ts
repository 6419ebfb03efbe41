export { clientAddress } from "./client-address.ts";
export { type ClosableServer, closeServer, stopKeepingAlive } from "./close-server.ts";
export { EnvError, type EnvIssue, envIssues } from "./env-error.ts";
export { envFlag, envHostList, envList, envProxyCount } from "./env-values.ts";
export { isServedHost, requestHost, type ServedHosts, servedHosts } from "./served-hosts.ts";
export { type SmtpConfig, smtpTransportOptions } from "./smtp.ts";
