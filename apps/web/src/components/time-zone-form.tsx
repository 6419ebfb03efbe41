"use client";

import { useActionState } from "react";
import { saveTimeZoneAction } from "@/app/account/actions";
import type { FormState } from "@/lib/mutations";
import { Field, inputClass } from "./field";
import { buttonClass, FormMessage, secondaryButtonClass } from "./form-message";

/**
 * The person's time zone: typed or picked from the zones the server knows (a list, not a select of 400), saved in
 * the API so it follows them to every device. The API checks the name and names the field when it is not a zone.
 */
export function TimeZoneForm({
  chosen,
  browser,
  zones,
}: {
  chosen: string | null;
  browser: string | null;
  zones: string[];
}) {
  const [state, save, saving] = useActionState<FormState, FormData>(saveTimeZoneAction, {});
  const error = state.errors?.timeZone;
  return (
    <form action={save} className="grid gap-3" data-testid="time-zone-form">
      <Field
        label="Time zone"
        name="timeZone"
        required
        error={error}
        hint="An IANA name, such as Europe/Paris or Asia/Tokyo. Dates are still stored in UTC."
      >
        <input
          id="timeZone"
          name="timeZone"
          required
          list="time-zones"
          autoComplete="off"
          defaultValue={chosen ?? browser ?? "UTC"}
          className={inputClass}
          aria-describedby={error ? "timeZone-hint timeZone-error" : "timeZone-hint"}
          {...(error ? { "aria-invalid": true } : {})}
        />
        <datalist id="time-zones">
          {zones.map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </Field>
      <div className="flex flex-wrap gap-2">
        <button type="submit" name="intent" value="choose" className={buttonClass} disabled={saving}>
          Save time zone
        </button>
        {chosen ? (
          <button
            type="submit"
            name="intent"
            value="browser"
            formNoValidate
            className={secondaryButtonClass}
            disabled={saving}
          >
            Follow my browser{browser ? ` (${browser})` : ""}
          </button>
        ) : null}
      </div>
      <FormMessage state={state} />
    </form>
  );
}
