"use client";

import { createContext, type ReactNode, useContext } from "react";

const TimeZoneContext = createContext("UTC");

/**
 * The request's zone for client components (forms with date fields), set once in the root layout from the same
 * value the server components use, so the server's HTML and the browser's first render agree.
 */
export function TimeZoneProvider({ zone, children }: { zone: string; children: ReactNode }) {
  return <TimeZoneContext.Provider value={zone}>{children}</TimeZoneContext.Provider>;
}

export function useTimeZone(): string {
  return useContext(TimeZoneContext);
}
