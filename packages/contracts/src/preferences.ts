import { z } from "@hono/zod-openapi";

/** An IANA zone name's shape: letters first, then letters, digits, `_ + -` in `/`-separated parts (no offsets). */
const zoneShape = /^[A-Za-z][A-Za-z0-9_+-]*(?:\/[A-Za-z0-9_+-]+){0,2}$/;

/**
 * The IANA name the runtime knows `value` by ("asia/tokyo" → "Asia/Tokyo"), or null when it is not a zone name the
 * runtime knows. Offsets ("+09:00") are refused: they are not zones and do not follow daylight saving.
 */
export function canonicalTimeZone(value: string): string | null {
  if (value.length > 64 || !zoneShape.test(value)) return null;
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone: value }).resolvedOptions().timeZone;
  } catch {
    return null;
  }
}

/** The canonical IANA names (and UTC), as the runtime's ICU knows them. */
const timeZoneNames = [...Intl.supportedValuesOf("timeZone"), "UTC"];

export const TimeZone = z
  .string()
  // One refinement (it checks the length too), so a bad name is one error, not two.
  .refine((value) => canonicalTimeZone(value) !== null, "an IANA time zone name, such as Europe/Paris")
  .transform((value) => canonicalTimeZone(value) ?? value)
  .openapi({
    type: "string",
    // Every canonical name this runtime knows, so a client (and a fuzzer) can tell a good value from the schema
    // alone; the API also takes their aliases and any case (`us/eastern`) and answers with the canonical name.
    enum: timeZoneNames,
    example: "Europe/Paris",
    description: "An IANA time zone name",
  });

export const Preferences = z
  .object({
    timeZone: z
      .string()
      .nullable()
      .openapi({
        description:
          "The IANA time zone the person reads and enters dates in; null until they choose one (the dashboard " +
          "then uses the browser's). Dates are stored and sent in UTC whatever it is.",
        example: "Europe/Paris",
      }),
  })
  .openapi("Preferences");
export type Preferences = z.infer<typeof Preferences>;

export const PreferencesUpdate = z
  .strictObject({ timeZone: TimeZone.nullable().optional() })
  .openapi("PreferencesUpdate", {
    description: "Fields left out keep theirs; a null time zone goes back to the browser's",
    example: { timeZone: "Asia/Tokyo" },
  });
export type PreferencesUpdate = z.infer<typeof PreferencesUpdate>;
