import { describe, expect, it } from "vitest";
import {
  chunkSize,
  joinChunks,
  type Session,
  safeReturnTo,
  seal,
  splitChunks,
  unseal,
} from "../src/lib/session-crypto.ts";

const secret = "a-session-secret-0123456789abcdefghijklmnop";
const session: Session = {
  accessToken: `eyJ.${"a".repeat(1200)}.sig`,
  refreshToken: "refresh-1",
  idToken: `eyJ.${"b".repeat(1500)}.sig`,
  expiresAt: 1_900_000_000,
  user: { sub: "user-1", name: "Ada", email: "ada@example.com" },
};

describe("session encryption", () => {
  it("round-trips, and the sealed value reveals no token", async () => {
    const sealed = await seal(session, secret, "session", 3600);
    expect(sealed).not.toContain("refresh-1");
    expect(sealed).not.toContain("ada@example.com");
    expect(sealed.split(".")).toHaveLength(5); // compact JWE
    expect(await unseal<Session>(sealed, secret, "session")).toEqual(session);
  });

  it("refuses a tampered value", async () => {
    const sealed = await seal(session, secret, "session", 3600);
    const parts = sealed.split(".");
    const ciphertext = parts[3] as string;
    parts[3] = (ciphertext[0] === "A" ? "B" : "A") + ciphertext.slice(1);
    expect(await unseal(parts.join("."), secret, "session")).toBeUndefined();
    const tag = parts[4] as string;
    expect(
      await unseal([...parts.slice(0, 4), `${tag.slice(0, -2)}AA`].join("."), secret, "session"),
    ).toBeUndefined();
  });

  it("refuses another key, another purpose, garbage and nothing", async () => {
    const sealed = await seal(session, secret, "session", 3600);
    expect(await unseal(sealed, `${secret}x`, "session")).toBeUndefined();
    expect(await unseal(sealed, secret, "login")).toBeUndefined();
    expect(await unseal("not-a-jwe", secret, "session")).toBeUndefined();
    expect(await unseal(undefined, secret, "session")).toBeUndefined();
  });

  it("refuses an expired value", async () => {
    const sealed = await seal(session, secret, "session", -10);
    expect(await unseal(sealed, secret, "session")).toBeUndefined();
  });

  it("splits a large session over cookies under the browser's size limit and joins it back", async () => {
    const sealed = await seal(session, secret, "session", 3600);
    const chunks = splitChunks(sealed);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.length).toBeLessThanOrEqual(chunkSize);
    const jar = new Map(chunks.map((chunk, i) => [`tf_session.${i}`, chunk]));
    const joined = joinChunks((name) => jar.get(name), "tf_session");
    expect(joined).toBe(sealed);
    expect(await unseal<Session>(joined, secret, "session")).toEqual(session);
    expect(joinChunks(() => undefined, "tf_session")).toBeUndefined();
  });

  it("only returns to paths on this site", () => {
    const dashboard = "https://dash.example.com";
    expect(safeReturnTo("/projects/1?x=2", dashboard)).toBe("/projects/1?x=2");
    expect(safeReturnTo("https://evil.example", dashboard)).toBe("/");
    expect(safeReturnTo("//evil.example/x", dashboard)).toBe("/");
    expect(safeReturnTo("/\\evil.example", dashboard)).toBe("/");
    expect(safeReturnTo(null, dashboard)).toBe("/");
  });
});
