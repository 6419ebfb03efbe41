#!/usr/bin/env node
// `npx taskflow-mcp`: TaskFlow over MCP stdio (see ../src/stdio.ts). Node 24 runs the TypeScript source directly.
import "../src/stdio.ts";
