// Which zone a request's dates are shown in. Server-side (it validates names with the contracts' rule).
import { canonicalTimeZone } from "@taskflow/contracts";

export const fallbackTimeZone = "UTC";

/** The zone dates are shown in: the person's choice, else the browser's (cookie), else UTC. */
export function resolveTimeZone(
  chosen: string | null | undefined,
  browser: string | null | undefined,
): string {
  for (const candidate of [chosen, browser]) {
    const zone = candidate ? canonicalTimeZone(candidate) : null;
    if (zone) return zone;
  }
  return fallbackTimeZone;
}
