"use client";

import type { WorkerSummary } from "@taskflow/contracts";
import { useActionState } from "react";
import { addComment, type FormState } from "@/app/actions";
import { Field, inputClass } from "./field";
import { FormMessage, secondaryButtonClass } from "./form-message";
import { MarkdownWrite } from "./markdown-write";

export function CommentForm({ taskId, members = [] }: { taskId: string; members?: WorkerSummary[] }) {
  const [state, action, pending] = useActionState<FormState, FormData>(addComment.bind(null, taskId), {});
  return (
    <form action={action} className="grid gap-2">
      <Field label="Add a comment" name="comment-body" error={state.errors?.body}>
        <MarkdownWrite members={members}>
          <textarea id="comment-body" name="body" rows={2} required className={inputClass} />
        </MarkdownWrite>
      </Field>
      <button type="submit" disabled={pending} className={`justify-self-start ${secondaryButtonClass}`}>
        {pending ? "Posting…" : "Comment"}
      </button>
      <FormMessage state={state} />
    </form>
  );
}
