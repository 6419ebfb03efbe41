"use client";

import type { NotificationSettings } from "@taskflow/contracts";
import { useActionState } from "react";
import { saveNotificationSettingsAction } from "@/app/inbox/actions";
import type { FormState } from "@/lib/mutations";
import { inputClass } from "./field";
import { buttonClass, FormMessage } from "./form-message";

const modeLabel = { immediate: "Email at once", digest: "Daily digest", off: "No email" } as const;
const modes = ["immediate", "digest", "off"] as const;

/** One row per kind: the inbox always has it; the mail is the person's to choose. */
export function NotificationSettingsForm({
  settings,
  labels,
}: {
  settings: NotificationSettings;
  labels: Record<string, string>;
}) {
  const [state, save, saving] = useActionState<FormState, FormData>(saveNotificationSettingsAction, {});
  return (
    <form action={save} className="grid gap-3">
      <table className="w-full text-sm">
        <thead>
          <tr className="text-left text-slate-500">
            <th scope="col" className="py-1 font-normal">
              When
            </th>
            <th scope="col" className="py-1 font-normal">
              In the inbox
            </th>
            <th scope="col" className="py-1 font-normal">
              Mail
            </th>
          </tr>
        </thead>
        <tbody>
          {settings.kinds.map((k) => (
            <tr key={k.kind} className="border-t border-slate-200 dark:border-slate-800">
              <th scope="row" className="py-2 pr-3 text-left font-normal">
                <span className="font-medium">{labels[k.kind] ?? k.kind}</span>
                <span className="block text-xs text-slate-500">{k.what}</span>
              </th>
              <td className="py-2 pr-3">always</td>
              <td className="py-2">
                <label className="sr-only" htmlFor={`email-${k.kind}`}>
                  Mail for {labels[k.kind] ?? k.kind}
                </label>
                <select
                  id={`email-${k.kind}`}
                  name={`email.${k.kind}`}
                  defaultValue={k.email}
                  className={inputClass}
                  data-testid={`email-${k.kind}`}
                >
                  {modes.map((mode) => (
                    <option key={mode} value={mode}>
                      {modeLabel[mode]}
                      {mode === k.defaultEmail ? " (default)" : ""}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="submit" disabled={saving} className={buttonClass}>
        {saving ? "Saving…" : "Save"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
