// The zone this request's dates are shown in, for server components and server actions: read once per request.
import type { Preferences } from "@taskflow/contracts";
import { cookies } from "next/headers";
import { cache } from "react";
import { config } from "@/env";
import { createApiClient } from "./api-client";
import { readSession } from "./session";
import { timeZoneCookie } from "./time-zone";
import { resolveTimeZone } from "./time-zone-choice";

export interface RequestTimeZone {
  /** The zone dates are shown and entered in. */
  zone: string;
  /** The person's choice (their preference in the API, on every device), null until they choose. */
  chosen: string | null;
  /** What the browser said its zone is (the cookie components/time-zone-detector.tsx writes), if anything. */
  browser: string | null;
}

/**
 * The person's chosen zone from the API, else the browser's from its cookie, else UTC. A page never fails for it:
 * an API that does not answer leaves the browser's zone.
 */
export const requestTimeZone = cache(async (): Promise<RequestTimeZone> => {
  const jar = await cookies();
  const browser = decodedCookie(jar.get(timeZoneCookie)?.value);
  const session = await readSession();
  let chosen: string | null = null;
  if (session) {
    try {
      const result = await createApiClient(config().apiUrl, session.accessToken).call<Preferences>(
        "/api/workers/me/preferences",
      );
      if (result.ok) chosen = result.data.timeZone;
    } catch {
      chosen = null;
    }
  }
  return { zone: resolveTimeZone(chosen, browser), chosen, browser };
});

/** Just the zone. */
export async function timeZone(): Promise<string> {
  return (await requestTimeZone()).zone;
}

/** The cookie as the browser wrote it (URI-encoded); anything undecodable is no zone. */
function decodedCookie(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}
