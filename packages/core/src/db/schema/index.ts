export * from "./agent-keys.ts";
export * from "./audit.ts";
export * from "./idempotency.ts";
export * from "./projects.ts";
export * from "./rate-limits.ts";
export * from "./tasks.ts";
export * from "./webhooks.ts";
export * from "./workers.ts";
