#!/usr/bin/env node
// `npx taskflow-mcp`: TaskFlow over MCP stdio (see ../src/stdio.ts). Node 24 runs the TypeScript source directly.
// The Node.js version check comes first, and the source is imported only after it: an older Node fails on a
// static import of a .ts file before any line of this one runs, without saying that its version is the cause.
import "@taskflow/service-env/node-version";

await import("../src/stdio.ts");
