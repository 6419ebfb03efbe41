// A copy of this working tree as a fresh clone looks after `npm ci`: no dashboard build, no data. `npm start` from
// it is a first start (it builds the dashboard), while this checkout's own build, which other tests and people
// serve from, stays untouched. node_modules folders are hard-linked (read, never written, by a build and a start),
// everything else copied.
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

/** Left out: version control, builds, data, test output. */
const leftOut = new Set([".git", ".next", ".taskflow", "test-results", ".next-build.lock"]);

function copyTree(from: string, to: string): void {
  cpSync(from, to, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (source) => !leftOut.has(basename(source)) && basename(source) !== "node_modules",
  });
  linkNodeModules(from, to);
}

/** Every node_modules under `from` (the root's and any workspace's), hard-linked into the same place under `to`. */
function linkNodeModules(from: string, to: string): void {
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    if (!entry.isDirectory() || leftOut.has(entry.name)) continue;
    if (entry.name === "node_modules") {
      try {
        execFileSync("cp", ["-al", join(from, entry.name), join(to, entry.name)]);
      } catch {
        // cp without -l (macOS): a plain copy, slower but the same tree.
        cpSync(join(from, entry.name), join(to, entry.name), { recursive: true, verbatimSymlinks: true });
      }
    } else {
      linkNodeModules(join(from, entry.name), join(to, entry.name));
    }
  }
}

export interface FreshCheckout {
  root: string;
  remove(): void;
}

export function freshCheckout(repoRoot: string): FreshCheckout {
  const root = join(mkdtempSync(join(tmpdir(), "taskflow-fresh-")), "taskflow");
  copyTree(repoRoot, root);
  return { root, remove: () => rmSync(join(root, ".."), { recursive: true, force: true }) };
}
