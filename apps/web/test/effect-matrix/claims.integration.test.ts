// The effect × path × caller matrix for claiming (groups/claims.ts), generated from core's list of effects
// and their paths (packages/core/src/effects/effect-paths.ts): every path, every caller, the outcome
// compared with the rule computed from core's tables (support/rule.ts).
import { afterAll, beforeAll } from "vitest";
import { claimsGroup } from "./groups/claims.ts";
import { runMatrix } from "./support/matrix.ts";
import { startWorld, type World } from "./support/world.ts";

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 240_000);
afterAll(async () => {
  await world?.close();
});

runMatrix(claimsGroup, () => world);
