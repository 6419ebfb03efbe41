// The generator: for each effect of a group, each of its paths (core's list) and each scene the effect
// needs, one test that drives the path for every caller, each in a scene of their own, and compares what
// happened with what the rule (rule.ts) allows.
import {
  type EffectName,
  type EffectPath,
  effects,
  type ListedEffect,
  type taskTransitions,
} from "@taskflow/core";
import { describe, expect, it } from "vitest";
import { allows, keyActionOf, needsOf } from "./rule.ts";
import type { Caller, World } from "./world.ts";

/** Drives one path for one caller in one scene, as the path's real client does. What it answers, if anything. */
export type Driver<S> = (world: World, caller: Caller, scene: S) => Promise<unknown>;

export interface Variant<S> {
  /** What the scene is, in the test's name; the same label on the same path is the same case. */
  label: string;
  /** For a status change: the status the scene's task is in (what the move needs follows from it). */
  from?: keyof typeof taskTransitions;
  scene(world: World, caller: Caller): Promise<S>;
  /** "happened" or "refused" (with what else a case shows), from the database or the answer. */
  outcome(world: World, scene: S, caller: Caller, answer: unknown): Promise<string> | string;
  /** What the outcome must show when it happened (default "happened"). */
  expectedWhenHappened?(world: World, caller: Caller): string;
  /** The rule's word beyond the tables for this scene (a cap, someone else's object). */
  allows?(caller: Caller, world: World): boolean;
}

export interface Group<S> {
  /** The effects this file drives. */
  effects: readonly EffectName[];
  /** A driver for every path of those effects, by the path's name in core's list. */
  drivers: Record<string, Driver<S>>;
  /** The scenes a path of an effect is driven in. */
  variants(effect: ListedEffect, path: EffectPath): Variant<S>[];
}

/** The callers who reach a path: the dashboard is a signed-in person's. */
export const reaches = (path: EffectPath, caller: Caller) =>
  path.transport !== "dashboard" || caller.dashboard !== null;

/** Every effect × path × scene of a group, once each (a path two effects share in the same scene runs once). */
export function casesOf<S>(group: Group<S>) {
  const byKey = new Map<string, { effects: ListedEffect[]; path: EffectPath; variant: Variant<S> }>();
  for (const effect of effects.filter((e) => group.effects.includes(e.name))) {
    for (const path of effect.paths) {
      for (const variant of group.variants(effect, path)) {
        const key = `${path.path} | ${variant.label}`;
        const known = byKey.get(key);
        if (known) known.effects.push(effect);
        else byKey.set(key, { effects: [effect], path, variant });
      }
    }
  }
  return [...byKey.values()].map((c) => ({
    ...c,
    label: `${c.effects.map((e) => e.name).join(" / ")} via ${c.path.transport} ${c.path.path}, on ${c.variant.label}`,
  }));
}

/** Registers the group's tests: every case, and that every path of its effects has a driver. */
export function runMatrix<S>(group: Group<S>, world: () => World): void {
  const cases = casesOf(group);
  describe("every path to these effects has a driver", () => {
    it("drives each path core's list names, and only those", () => {
      const paths = effects
        .filter((e) => group.effects.includes(e.name))
        .flatMap((e) => e.paths.map((p) => p.path));
      expect(Object.keys(group.drivers).sort()).toEqual([...new Set(paths)].sort());
    });
  });
  describe.each(cases)("$label", ({ effects: sharing, path, variant }) => {
    it("happens exactly for the callers the rule allows", async () => {
      const w = world();
      const callers = w.callers.filter((caller) => reaches(path, caller));
      // Each caller in a scene of their own, all at once, as independent clients would be.
      const outcomes = await Promise.all(
        callers.map(async (caller) => {
          const scene = await variant.scene(w, caller);
          const answer = await group.drivers[path.path]?.(w, caller, scene).catch(() => undefined);
          return `${caller.label}: ${await variant.outcome(w, scene, caller, answer)}`;
        }),
      );
      const expected = callers.map((caller) => {
        // Every effect sharing this case must agree (they are the same drive).
        const yes = sharing.every((effect) =>
          allows(w, caller, needsOf(effect, path, variant.from), w.project.id, keyActionOf(effect)),
        );
        const happened = yes && (variant.allows?.(caller, w) ?? true);
        return `${caller.label}: ${happened ? (variant.expectedWhenHappened?.(w, caller) ?? "happened") : "refused"}`;
      });
      // A case nobody may have (and nobody is refused) would pass with a driver that does nothing.
      if (!variant.allows)
        expect(
          expected.some((e) => !e.endsWith(": refused")),
          "someone may",
        ).toBe(true);
      expect(
        expected.some((e) => e.endsWith(": refused")),
        "someone is refused",
      ).toBe(true);
      expect(outcomes).toEqual(expected);
    });
  });
}

/** The paths of some effects of core's list, once each. */
export const pathsOf = (names: readonly EffectName[]) => [
  ...new Set(effects.filter((e) => names.includes(e.name)).flatMap((e) => e.paths.map((p) => p.path))),
];

/** The drivers of a module that these effects' paths use (a path without one is left out, and the check fails). */
export function driversFor<S>(
  all: Record<string, Driver<S>>,
  names: readonly EffectName[],
): Record<string, Driver<S>> {
  return Object.fromEntries(pathsOf(names).flatMap((path) => (all[path] ? [[path, all[path]]] : [])));
}
