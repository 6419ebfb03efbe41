// Older Node.js releases from the npm registry (the node-<platform>-<arch> packages, as .ci/run fetches Node 24),
// and the npm they ship with: a person with Node 18, 20 or 22 runs TaskFlow's entries with these. Each is
// fetched once into ${XDG_CACHE_HOME:-~/.cache}/taskflow/ and kept there, so CI downloads it once.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

const cacheRoot = join(process.env.XDG_CACHE_HOME ?? join(homedir(), ".cache"), "taskflow");

/** `npm pack <spec>` unpacked into the cache folder `name`, unless it is there already; its `package/` path. */
function packageInCache(name: string, spec: string): string {
  const home = join(cacheRoot, name);
  if (existsSync(join(home, "package", "package.json"))) return join(home, "package");
  mkdirSync(cacheRoot, { recursive: true });
  // Unpacked beside the cache and renamed into place: two test files fetching at once never see half of it.
  const staging = mkdtempSync(join(cacheRoot, `.${name}-`));
  try {
    const tarball = execFileSync("npm", ["pack", "--silent", spec], {
      cwd: staging,
      encoding: "utf8",
    }).trim();
    execFileSync("tar", ["xzf", tarball], { cwd: staging });
    rmSync(join(staging, tarball));
    rmSync(home, { recursive: true, force: true });
    try {
      renameSync(staging, home);
    } catch (error) {
      if (!existsSync(join(home, "package", "package.json"))) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return join(home, "package");
}

export interface OldNode {
  /** e.g. "20.20.2" */
  version: string;
  /** the node binary */
  node: string;
  /** its folder, to put first on PATH */
  binDir: string;
}

/** The newest Node.js `major` the registry has for this machine. */
export function oldNode(major: 18 | 20 | 22): OldNode {
  const pkg = packageInCache(`node${major}`, `node-${process.platform}-${process.arch}@${major}`);
  const binDir = join(pkg, "bin");
  const node = join(binDir, "node");
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
  return { version, node, binDir };
}

/** The npm that Node.js 18.20 and 20.20 ship with (10.8.2): its CLI script, run by the old node. */
export function oldNpm(): string {
  return join(packageInCache("npm10", "npm@10.8.2"), "bin", "npm-cli.js");
}
