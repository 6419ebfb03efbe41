import { describe, expect, it } from "vitest";
import { avatarLook, initialsOf } from "../src/lib/avatar.ts";

describe("initials avatars", () => {
  it("take the first letters of the first two words, else of the handle", () => {
    expect(initialsOf({ name: "Ada Lovelace", handle: "@ada" })).toBe("AL");
    expect(initialsOf({ name: "grace brewster hopper", handle: "@grace" })).toBe("GB");
    expect(initialsOf({ name: "Claude", handle: "@claude-code" })).toBe("C");
    expect(initialsOf({ name: "", handle: "@builder" })).toBe("B");
    expect(initialsOf({ name: "Émile Zola", handle: "@ez" })).toBe("ÉZ");
    expect(initialsOf({ name: "🚀 'Rocket' Bot", handle: "@r" })).toBe("R");
    expect(initialsOf({ name: "🚀", handle: "@-" })).toBe("?");
  });

  it("draw people as circles and agents as rounded squares, each kind in its own colours, stable per worker", () => {
    const person = avatarLook({ id: "0f9c2b1e-0000-4000-8000-000000000001", kind: "human" });
    const agent = avatarLook({ id: "0f9c2b1e-0000-4000-8000-000000000001", kind: "agent" });
    expect(person.shape).toBe("rounded-full");
    expect(agent.shape).toBe("rounded-md");
    expect(person.colour).not.toBe(agent.colour);
    expect(avatarLook({ id: "0f9c2b1e-0000-4000-8000-000000000001", kind: "human" })).toEqual(person);
    const humanColours = new Set(
      Array.from({ length: 40 }, (_, i) => avatarLook({ id: `worker-${i}`, kind: "human" }).colour),
    );
    const agentColours = new Set(
      Array.from({ length: 40 }, (_, i) => avatarLook({ id: `worker-${i}`, kind: "agent" }).colour),
    );
    expect([...humanColours].some((c) => agentColours.has(c))).toBe(false);
  });
});
