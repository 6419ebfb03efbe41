/** The role the admin plugin gives every new account (auth.ts passes it to `admin({ defaultRole })`). */
export const DEFAULT_ROLE = "user";

/**
 * The fields plugins add to a user, with the value a new account has. A sign-up for an address that
 * already has an account answers with a made-up user (Better Auth's enumeration protection), but Better
 * Auth fills the fields plugins add with null there: `"role": null` told an existing address from a new
 * one (`"role": "user"`). Its `customSyntheticUser` option cannot mend it here: that callback only sees
 * `user.additionalFields`, so the handle (a plugin field) would turn null instead.
 */
const NEW_ACCOUNT_DEFAULTS: Record<string, unknown> = { role: DEFAULT_ROLE, banned: false };

/**
 * The sign-up answer with every plugin field a new account has filled in, or undefined when the answer
 * is not a user (a refusal). Applied to both answers (a new account already has these values), so
 * they are the same in keys, key order and values but for the fresh id and the timestamps of now.
 * test/sign-up-enumeration.security.test.ts compares the two answers field by field.
 */
export function uniformSignUpAnswer(returned: unknown): Record<string, unknown> | undefined {
  if (typeof returned !== "object" || returned === null || !("user" in returned)) return undefined;
  const answer = returned as { user: unknown };
  if (typeof answer.user !== "object" || answer.user === null) return undefined;
  const user: Record<string, unknown> = { ...(answer.user as Record<string, unknown>) };
  for (const [field, value] of Object.entries(NEW_ACCOUNT_DEFAULTS)) {
    if (field in user && user[field] === null) user[field] = value;
  }
  return { ...(returned as Record<string, unknown>), user };
}
