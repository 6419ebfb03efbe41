import { describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { escapeLike } from "../tasks/list-tasks.ts";
import { decodeCursor, encodeCursor } from "./keyset-cursor.ts";

describe("keyset cursors", () => {
  it("round-trips a key as URL-safe text", () => {
    const key = ["2026-11-24 12:00:00.123456+00", null, 3, "7d0b6f0e-6a43-4a47-9d6e-0a5a3c2b1e11"];
    const cursor = encodeCursor("tasks.due", key);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor, "tasks.due", 4)).toEqual(key);
  });

  it("refuses garbage, a wrong shape or another ordering, naming query.cursor", () => {
    const bad = [
      () => decodeCursor("!!!", "tasks.due", 2),
      () => decodeCursor(Buffer.from("[1,2]").toString("base64url"), "tasks.due", 2),
      () => decodeCursor(encodeCursor("tasks.due", ["a"]), "tasks.due", 2),
      () => decodeCursor(encodeCursor("tasks.created", ["a", "b"]), "tasks.due", 2),
      () =>
        decodeCursor(
          Buffer.from(JSON.stringify({ o: "tasks.due", k: [{}, 1] })).toString("base64url"),
          "tasks.due",
          2,
        ),
    ];
    for (const decode of bad) {
      expect(decode).toThrow(DomainError);
      try {
        decode();
      } catch (error) {
        expect((error as DomainError).issues[0]?.field).toBe("query.cursor");
      }
    }
  });

  it("escapes LIKE wildcards in searches", () => {
    expect(escapeLike("50%_off\\")).toBe("50\\%\\_off\\\\");
  });
});
