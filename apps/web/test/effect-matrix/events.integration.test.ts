// The effect × path × caller matrix for receiving a project's events (groups/events.ts), generated from
// core's list of effects and their paths (packages/core/src/effects/effect-paths.ts): every stream, every
// caller, what it delivers compared with the rule computed from core's tables (support/rule.ts).
import { afterAll, beforeAll } from "vitest";
import { eventsGroup } from "./groups/events.ts";
import { runMatrix } from "./support/matrix.ts";
import { startWorld, type World } from "./support/world.ts";

let world: World;
beforeAll(async () => {
  world = await startWorld();
}, 240_000);
afterAll(async () => {
  await world?.close();
});

runMatrix(eventsGroup, () => world);
