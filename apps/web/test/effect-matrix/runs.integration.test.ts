// The effect × path × caller matrix for agent runs and the inbox (groups/runs.ts), generated from core's list of effects
// and their paths (packages/core/src/effects/effect-paths.ts): every path, every caller, the outcome
// compared with the rule computed from core's tables (support/rule.ts).
import { afterAll, beforeAll } from "vitest";
import { runsGroup } from "./groups/runs.ts";
import { runMatrix } from "./support/matrix.ts";
import { startWorld, type World } from "./support/world.ts";

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 240_000);
afterAll(async () => {
  await world?.close();
});

runMatrix(runsGroup, () => world);
