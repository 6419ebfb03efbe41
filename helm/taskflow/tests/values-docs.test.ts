// values.yaml is the single source: every key documented, README.md's table and values.schema.json generated
// from it (`node helm/taskflow/tests/generate.ts`) and checked here so they cannot drift.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { chartDir, documentedValues, readmeWithTable, renderSchema } from "./values-docs.ts";

describe("values documentation", () => {
  it('documents every key of values.yaml with a "# --" comment', () => {
    expect(documentedValues().undocumented).toEqual([]);
  });

  it("README.md lists every value (run node helm/taskflow/tests/generate.ts after changing values.yaml)", () => {
    const readme = readFileSync(join(chartDir, "README.md"), "utf8");
    expect(readme).toBe(readmeWithTable(readme));
    for (const { path } of documentedValues().docs) expect(readme).toContain(`| \`${path}\` |`);
  });

  it("values.schema.json matches values.yaml (run node helm/taskflow/tests/generate.ts)", () => {
    expect(readFileSync(join(chartDir, "values.schema.json"), "utf8")).toBe(renderSchema());
  });

  it("values-dev.yaml and values-prod.yaml only use keys of values.yaml", async () => {
    const { parse } = await import("yaml");
    const known = new Set(documentedValues().docs.map((d) => d.path));
    const walk = (obj: Record<string, unknown>, prefix: string, file: string) => {
      for (const [k, v] of Object.entries(obj)) {
        const path = prefix ? `${prefix}.${k}` : k;
        if (!known.has(path)) {
          // Inside a pass-through object (resources, securityContext, …) any Kubernetes key is allowed.
          const parent = [...known].find((p) => path.startsWith(`${p}.`));
          expect(parent, `${file}: unknown key ${path}`).toBeDefined();
          continue;
        }
        if (v && typeof v === "object" && !Array.isArray(v)) walk(v as Record<string, unknown>, path, file);
      }
    };
    for (const file of ["values-dev.yaml", "values-prod.yaml"]) {
      walk(parse(readFileSync(join(chartDir, file), "utf8")) as Record<string, unknown>, "", file);
    }
  });
});
