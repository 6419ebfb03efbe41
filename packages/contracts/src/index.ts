export * from "./audit.ts";
export * from "./claims.ts";
export * from "./comments.ts";
export * from "./common.ts";
export * from "./projects.ts";
export * from "./tasks.ts";
export * from "./webhooks.ts";
export * from "./workers.ts";
