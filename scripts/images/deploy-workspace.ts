// Copies one workspace and exactly what it runs into a folder of its own, for the runtime stage of its image:
//   node scripts/images/deploy-workspace.ts apps/sso /deploy      (run in the repository root, after `npm ci`)
// What it runs = the workspace's production dependency closure as package-lock.json records it: `dependencies`,
// `optionalDependencies` that are installed, and required `peerDependencies`, followed through node_modules the way
// Node resolves them, workspace packages included (as their folders plus the node_modules links to them).
// Optional peers are not followed: `npm ci --omit=dev -w apps/sso` installs them whenever any workspace depends on
// them, which put Next.js (an optional peer of better-auth, a real dependency of apps/web) into the SSO's image.
// Type declarations, TypeScript sources and source maps inside node_modules are left out: Node does not run
// TypeScript under node_modules, and nothing here loads a source map.
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync } from "node:fs";
import { dirname, join, relative } from "node:path";

export interface LockPackage {
  link?: boolean;
  dev?: boolean;
  resolved?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

/** Location in package-lock.json's `packages` where `name` resolves from `from` (Node's node_modules lookup). */
export function resolveInLock(
  packages: Record<string, LockPackage>,
  from: string,
  name: string,
): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent >= 0 ? dir.slice(0, parent) : "";
  }
}

/**
 * Every lockfile location the workspace needs at run time: package folders under node_modules, the links to
 * workspace packages, and the workspace folders (the workspace itself first). Throws on a required dependency
 * the lockfile cannot resolve.
 */
export function productionClosure(packages: Record<string, LockPackage>, workspace: string): string[] {
  const seen = new Set<string>();
  const pending = [workspace];
  while (pending.length > 0) {
    const location = pending.pop() as string;
    if (seen.has(location)) continue;
    seen.add(location);
    const entry = packages[location];
    if (!entry) throw new Error(`${location} is not in package-lock.json`);
    if (entry.link) {
      if (!entry.resolved) throw new Error(`link ${location} has no target in package-lock.json`);
      pending.push(entry.resolved);
      continue;
    }
    const optional = new Set(Object.keys(entry.optionalDependencies ?? {}));
    const required = Object.keys(entry.peerDependencies ?? {}).filter(
      (peer) => !entry.peerDependenciesMeta?.[peer]?.optional,
    );
    for (const name of new Set([...Object.keys(entry.dependencies ?? {}), ...optional, ...required])) {
      const target = resolveInLock(packages, location, name);
      if (target) pending.push(target);
      else if (!optional.has(name))
        throw new Error(`${location} needs ${name}, which package-lock.json lacks`);
    }
  }
  return [...seen];
}

/** Files of an installed package that Node never loads: TypeScript (declarations included) and source maps. */
const notRun = /\.(d\.[cm]?ts|[cm]?ts|tsx|map)$/;

function deploy(root: string, workspace: string, out: string): void {
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockPackage>;
  };
  const closure = productionClosure(lock.packages, workspace);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  // the root manifest: `npm run <script> -w <workspace>` (the chart's migrate command) needs its workspaces
  cpSync(join(root, "package.json"), join(out, "package.json"));
  let installed = 0;
  for (const location of closure) {
    const source = join(root, location);
    const target = join(out, location);
    const entry = lock.packages[location] as LockPackage;
    if (entry.link) {
      mkdirSync(dirname(target), { recursive: true });
      symlinkSync(relative(dirname(target), join(out, entry.resolved as string)), target);
    } else if (location.includes("node_modules/")) {
      if (!existsSync(source)) {
        // an optional dependency for another platform: in the lockfile, not installed here
        continue;
      }
      installed += 1;
      cpSync(source, target, {
        recursive: true,
        verbatimSymlinks: true,
        // nested node_modules hold other closure members (copied on their own) or packages not needed
        filter: (path) =>
          !path.startsWith(`${source}/node_modules`) && !(notRun.test(path) && !statSync(path).isDirectory()),
      });
    } else {
      // a workspace folder, as the build context holds it (.dockerignore keeps tests and benches out)
      cpSync(source, target, {
        recursive: true,
        filter: (path) => !path.startsWith(join(source, "node_modules")),
      });
    }
  }
  const workspaces = closure.filter((l) => !l.includes("node_modules/"));
  process.stdout.write(
    `${workspace}: ${installed} packages from node_modules, workspaces ${workspaces.join(", ")} -> ${out}\n`,
  );
}

if (import.meta.main) {
  const [workspace, out] = process.argv.slice(2);
  if (!workspace || !out) {
    process.stderr.write(
      "usage: node scripts/images/deploy-workspace.ts <workspace folder> <output folder>\n",
    );
    process.exit(2);
  }
  deploy(process.cwd(), workspace, out);
}
