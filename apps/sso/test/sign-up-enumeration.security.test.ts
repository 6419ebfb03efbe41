import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestSso, type TestSso } from "./helpers.ts";

// POST /api/auth/sign-up/email must not tell whether an address has an account. Better Auth answers a
// known address with a made-up user, but with "role": null where a new account has "role": "user": the
// red team read who has an account from that one field. Here each known address is paired with a new one
// of the same length, so the two answers can be compared whole: status, headers, body keys and values.

const PASSWORD = "Correct-Horse-44!";
const ADMIN = { email: "known.admin@example.test", password: "root passphrase 0123" };
let sso: TestSso;

beforeAll(async () => {
  sso = await startTestSso(
    { ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password },
    { rateLimit: { enabled: false } },
  );
  // An ordinary account, made the way the red team would make one (still unconfirmed).
  const first = await signUp({ name: "X", email: "known.user@example.test", password: PASSWORD });
  expect(first.status).toBe(200);
});

afterAll(async () => {
  await sso?.close();
});

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  text: string;
}

async function signUp(body: Record<string, string>): Promise<Answer> {
  const response = await fetch(`${sso.url}/api/auth/sign-up/email`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    // The time of day is the only header allowed to differ between two answers.
    if (name !== "date") headers[name] = value;
  });
  return { status: response.status, headers, body: JSON.parse(text), text };
}

/**
 * The answer with what must differ between any two sign-ups replaced by placeholders, after checking
 * their form: the fresh id (a UUID either way), the timestamps (now), the address and handle (each its own).
 */
function comparable(answer: Answer, email: string, handle: string | undefined): string {
  const { user } = answer.body as { user: Record<string, unknown> };
  expect(user.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  for (const field of ["createdAt", "updatedAt"]) {
    expect(Math.abs(Date.parse(String(user[field])) - Date.now())).toBeLessThan(60_000);
  }
  expect(user.email).toBe(email);
  expect(user.username).toBe(handle ?? null);
  // Key order included: JSON.stringify keeps it.
  return JSON.stringify({
    ...(answer.body as object),
    user: {
      ...user,
      id: "<id>",
      createdAt: "<now>",
      updatedAt: "<now>",
      email: "<email>",
      ...(handle ? { username: "<handle>" } : {}),
    },
  });
}

describe("a sign-up answers the same for a known address and a new one", () => {
  const pairs = [
    {
      known: "known.user@example.test",
      fresh: "fresh.user@example.test",
      what: "an account made by sign-up",
    },
    { known: ADMIN.email, fresh: "fresh.admin@example.test", what: "the administrator's account" },
  ];

  for (const { known, fresh, what } of pairs) {
    for (const withHandle of [false, true]) {
      it(`${what}, ${withHandle ? "with" : "without"} a handle`, async () => {
        // Handles of the same length, none taken (a taken handle is refused openly: handles are public).
        const handles = withHandle ? [`Known_${known.slice(0, 5)}`, `Fresh_${known.slice(0, 5)}`] : [];
        const body = (email: string, handle: string | undefined) => ({
          name: "X",
          email,
          password: PASSWORD,
          ...(handle ? { username: handle } : {}),
        });
        const forKnown = await signUp(body(known, handles[0]));
        const forNew = await signUp(body(fresh, handles[1]));
        expect(forNew.status, forNew.text).toBe(200);
        expect(forKnown.status).toBe(forNew.status);
        // The same headers with the same values: no cookie either way, the same length.
        expect(forKnown.headers).toEqual(forNew.headers);
        expect(forKnown.headers["set-cookie"]).toBeUndefined();
        // The same body but for the id, the timestamps and the address echoed.
        expect(comparable(forKnown, known, handles[0]?.toLowerCase())).toBe(
          comparable(forNew, fresh, handles[1]?.toLowerCase()),
        );
        // What the red team read: the new account's role, on both.
        expect((forKnown.body as { user: { role: unknown } }).user.role).toBe("user");
        expect((forKnown.body as { token: unknown }).token).toBeNull();
      });
    }
  }
});
