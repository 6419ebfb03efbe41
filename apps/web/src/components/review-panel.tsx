"use client";

import { useActionState } from "react";
import { approveTask, type FormState, rejectTask } from "@/app/actions";
import { Field, inputClass } from "./field";
import { buttonClass, FormMessage, secondaryButtonClass } from "./form-message";

/** Approve or reject a task in review. Shown to everyone who can see it; the API decides, and says why not. */
export function ReviewPanel({ taskId, canReview }: { taskId: string; canReview: boolean }) {
  const [approved, approve, approving] = useActionState<FormState, FormData>(
    approveTask.bind(null, taskId),
    {},
  );
  const [rejected, reject, rejecting] = useActionState<FormState, FormData>(
    rejectTask.bind(null, taskId),
    {},
  );
  return (
    <section
      aria-labelledby="review-heading"
      className="grid gap-3 rounded border border-amber-300 bg-amber-50 p-4 dark:border-amber-800 dark:bg-amber-950"
    >
      <h2 id="review-heading" className="font-semibold">
        Waiting for review
      </h2>
      {canReview ? null : (
        <p className="text-sm">
          Approving and rejecting take an admin or owner of this project. You can still try: the answer will
          say who can.
        </p>
      )}
      <div className="grid gap-4 md:grid-cols-2">
        <form action={approve} className="grid content-start gap-2">
          <Field label="Note (optional)" name="approve-note">
            <input id="approve-note" name="note" className={inputClass} />
          </Field>
          <button type="submit" disabled={approving} className={buttonClass}>
            {approving ? "Approving…" : "Approve"}
          </button>
          <FormMessage state={approved} />
        </form>
        <form action={reject} className="grid content-start gap-2">
          <Field label="What to change" name="reject-reason" error={rejected.errors?.reason}>
            <input
              id="reject-reason"
              name="reason"
              className={inputClass}
              aria-invalid={!!rejected.errors?.reason}
            />
          </Field>
          <button type="submit" disabled={rejecting} className={`justify-self-start ${secondaryButtonClass}`}>
            {rejecting ? "Sending back…" : "Reject"}
          </button>
          <FormMessage state={rejected} />
        </form>
      </div>
    </section>
  );
}
