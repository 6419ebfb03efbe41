// Stops TaskFlow on a Node.js older than it needs, with a sentence a person can act on. Every entry a person or
// the chart runs loads this first (`node --require …/node-version.cjs <entry>.ts`, the root package's
// `preinstall`, the MCP server's bin): without it, Node 18 to 22 die on the TypeScript sources with
// ERR_UNKNOWN_FILE_EXTENSION or a syntax error that never names the version.
// So this file is CommonJS in syntax that every Node.js since 8 parses: no TypeScript, no ESM, no `?.` or
// `??`, and it requires nothing.
"use strict";

// The root package.json's `engines.node` says the same (test/node-version.test.ts holds the two together).
const requiredMajor = 24;

/** The message for a Node.js older than requiredMajor, or "" when this one will do. */
function nodeVersionProblem(version, execPath) {
  const found = String(version).replace(/^v/, "");
  if (Number(found.split(".")[0]) >= requiredMajor) return "";
  return [
    `TaskFlow needs Node.js ${requiredMajor} or newer, and this is Node.js ${found} (${execPath}).`,
    `Install Node.js ${requiredMajor}, make it the \`node\` on your PATH, and run the command again:`,
    `  - with nvm (https://github.com/nvm-sh/nvm):   nvm install ${requiredMajor}`,
    "  - or the installer or binary for your system: https://nodejs.org/en/download",
    "",
  ].join("\n");
}

module.exports = { requiredMajor, nodeVersionProblem };

const problem = nodeVersionProblem(process.versions.node, process.execPath);
if (problem) {
  process.stderr.write(`\n${problem}\n`);
  process.exit(1);
}
