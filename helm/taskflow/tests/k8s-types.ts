// Two checks of rendered objects against the Kubernetes API types:
//  - strictTypecheck: writes every object as a TypeScript literal `satisfies` its kubernetes-types type and runs
//    tsc. Excess-property checking makes any unknown or misspelled key (at any depth) an error, and wrong
//    primitive types fail too.
//  - validateModels: kubernetes-models' validators (compiled from the OpenAPI schema) check values: required
//    fields, formats (int32, …), enums where the schema has them.
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartDir, type K8sObject, repoRoot, run } from "./helm.ts";

const typeModules: Record<string, string> = {
  v1: "kubernetes-types/core/v1",
  "apps/v1": "kubernetes-types/apps/v1",
  "networking.k8s.io/v1": "kubernetes-types/networking/v1",
  "policy/v1": "kubernetes-types/policy/v1",
  "autoscaling/v2": "kubernetes-types/autoscaling/v2",
};

export function strictTypecheck(name: string, objects: K8sObject[]): { ok: boolean; output: string } {
  const dir = join(chartDir, "tests", ".generated", name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const imports = new Map<string, Set<string>>();
  const lines: string[] = [];
  objects.forEach((object, index) => {
    const module = typeModules[object.apiVersion];
    if (!module)
      throw new Error(
        `no kubernetes-types module known for apiVersion ${object.apiVersion} (${object.kind})`,
      );
    const names = imports.get(module) ?? new Set<string>();
    names.add(object.kind);
    imports.set(module, names);
    lines.push(
      `// ${object.kind} ${object.metadata.name}`,
      `export const o${index} = ${JSON.stringify(object, null, 2)} satisfies ${object.kind};`,
    );
  });
  const header = [...imports].map(
    ([module, names]) => `import type { ${[...names].sort().join(", ")} } from "${module}";`,
  );
  writeFileSync(join(dir, "objects.ts"), `${[...header, "", ...lines].join("\n")}\n`);
  writeFileSync(
    join(dir, "tsconfig.json"),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        noEmit: true,
        target: "ES2022",
        module: "ESNext",
        moduleResolution: "Bundler",
        skipLibCheck: true,
        types: [],
      },
      files: ["objects.ts"],
    }),
  );
  const tsc = join(repoRoot, "node_modules", "typescript", "bin", "tsc");
  const result = run(process.execPath, [tsc, "-p", join(dir, "tsconfig.json")]);
  return { ok: result.status === 0, output: result.stdout + result.stderr };
}

export async function validateModels(objects: K8sObject[]): Promise<string[]> {
  const problems: string[] = [];
  for (const object of objects) {
    const path = `kubernetes-models/${object.apiVersion}/${object.kind}`;
    const module = (await import(path)) as Record<string, new (data: unknown) => { validate(): void }>;
    const Model = module[object.kind];
    if (!Model) throw new Error(`${path} exports no ${object.kind}`);
    try {
      new Model(object).validate();
    } catch (error) {
      problems.push(`${object.kind}/${object.metadata.name}: ${(error as Error).message}`);
    }
  }
  return problems;
}
