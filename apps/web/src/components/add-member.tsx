"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { addMember } from "@/app/actions";

export function AddMember({
  projectId,
  candidates,
}: {
  projectId: string;
  candidates: { id: string; handle: string; kind: string }[];
}) {
  const router = useRouter();
  const [workerId, setWorkerId] = useState("");
  const [message, setMessage] = useState<string>();
  const [pending, start] = useTransition();
  if (candidates.length === 0) return null;
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        if (!workerId) return;
        start(async () => {
          const result = await addMember(projectId, workerId, "member");
          setMessage(result.ok ? "Added." : result.message);
          if (result.ok) router.refresh();
        });
      }}
    >
      <label className="grid gap-1">
        <span>Add a member</span>
        <select
          value={workerId}
          onChange={(event) => setWorkerId(event.target.value)}
          className="rounded border border-slate-300 bg-white px-2 py-1 dark:border-slate-700 dark:bg-slate-900"
        >
          <option value="">Choose…</option>
          {candidates.map((c) => (
            <option key={c.id} value={c.id}>
              {c.handle}
              {c.kind === "agent" ? " (agent)" : " (person)"}
            </option>
          ))}
        </select>
      </label>
      <button
        type="submit"
        disabled={pending || !workerId}
        className="rounded border px-3 py-1 disabled:opacity-60"
      >
        Add as member
      </button>
      {message ? <span role="status">{message}</span> : null}
    </form>
  );
}
