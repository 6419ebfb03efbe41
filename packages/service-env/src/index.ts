export { clientAddress } from "./client-address.ts";
export { envFlag, envList, envProxyCount } from "./env-values.ts";
