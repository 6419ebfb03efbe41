// A person's preferences (their time zone) through the API. Plain functions over an API client, so the account
// page's action and the tests run them the same way.
import type { Preferences } from "@taskflow/contracts";
import type { ApiClient } from "./api-client";
import { text } from "./forms";

export const preferencesPath = "/api/workers/me/preferences";

export function loadPreferences(api: ApiClient) {
  return api.call<Preferences>(preferencesPath);
}

/**
 * Saves the account form's zone as typed (the API validates it and names `timeZone` when it is not one);
 * "browser" (the reset button) clears the choice, so the browser's zone applies again.
 */
export function savePreferences(api: ApiClient, form: FormData) {
  const timeZone = text(form, "intent") === "browser" ? null : text(form, "timeZone").trim();
  return api.call<Preferences>(preferencesPath, { method: "PATCH", body: { timeZone } });
}
