import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { type Effect, effects } from "./effect-paths.ts";
import { renderEffectsTable } from "./effects-table.ts";

describe("the effects table of packages/core/README.md", () => {
  it("is the list in effect-paths.ts, exactly", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    const block = readme.split("<!-- effects:start -->")[1]?.split("<!-- effects:end -->")[0] ?? "";
    expect(block.trim()).toBe(renderEffectsTable(effects));
  });

  it("names, for every effect, a deciding function that exists in the file named", () => {
    for (const effect of effects) {
      const source = readFileSync(new URL(`../${effect.decidedBy.file}`, import.meta.url), "utf8");
      expect(source, effect.name).toMatch(new RegExp(`export (async )?function ${effect.decidedBy.fn}\\b`));
    }
  });

  it("names each path once per effect, and a path's statuses among its effect's moves", () => {
    for (const effect of effects as readonly Effect[]) {
      const names = effect.paths.map((p) => p.path);
      expect(new Set(names).size, effect.name).toBe(names.length);
      const from: readonly string[] = effect.moves?.from ?? [];
      for (const path of effect.paths) {
        for (const status of path.from ?? []) expect(from, path.path).toContain(status);
      }
    }
  });
});
