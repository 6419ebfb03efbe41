// Rewrites values.schema.json and the values table of README.md from values.yaml.
// Usage: node helm/taskflow/tests/generate.ts
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { chartDir, documentedValues, readmeWithTable, renderSchema } from "./values-docs.ts";

const { undocumented } = documentedValues();
if (undocumented.length > 0) {
  console.error(`values.yaml: these keys have no "# --" comment:\n  ${undocumented.join("\n  ")}`);
  process.exitCode = 1;
}
writeFileSync(join(chartDir, "values.schema.json"), renderSchema());
const readmePath = join(chartDir, "README.md");
writeFileSync(readmePath, readmeWithTable(readFileSync(readmePath, "utf8")));
console.log("wrote values.schema.json and README.md's values table");
