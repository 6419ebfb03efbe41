"use server";
// The account page's action: the person's time zone, then every page renders again in it.
import { revalidatePath } from "next/cache";
import { sessionApi } from "@/lib/api";
import type { FormState } from "@/lib/mutations";
import { savePreferences } from "@/lib/preferences";
import { fieldErrors, problemMessage } from "@/lib/problem";

export async function saveTimeZoneAction(_previous: FormState, form: FormData): Promise<FormState> {
  const result = await savePreferences(await sessionApi("/account"), form);
  if (!result.ok) {
    return { ok: false, message: problemMessage(result.problem), errors: fieldErrors(result.problem) };
  }
  revalidatePath("/", "layout");
  return {
    ok: true,
    message: result.data.timeZone
      ? `Saved: dates show in ${result.data.timeZone}.`
      : "Saved: dates follow your browser's time zone.",
  };
}
