import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { taskWorkflowEffects } from "./effect-paths.ts";
import { renderEffectsTable } from "./effects-table.ts";

describe("the effects table of packages/core/README.md", () => {
  it("is the list in effect-paths.ts, exactly", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.split("<!-- effects:start -->")[1]?.split("<!-- effects:end -->")[0] ?? "";
    expect(block.trim()).toBe(renderEffectsTable(taskWorkflowEffects));
  });

  it("names, for every effect, a deciding function that exists in the file named", () => {
    for (const effect of taskWorkflowEffects) {
      const source = readFileSync(new URL(`../${effect.decidedBy.file}`, import.meta.url), "utf8");
      expect(source, effect.name).toMatch(new RegExp(`export (async )?function ${effect.decidedBy.fn}\\b`));
    }
  });
});
