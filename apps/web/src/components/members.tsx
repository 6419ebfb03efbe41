"use client";

import type { Member } from "@taskflow/contracts";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { addMember, changeMemberRole, type MemberResult, removeMember } from "@/app/actions";
import { secondaryButtonClass } from "./form-message";
import { WorkerName } from "./worker-name";

const roles = ["owner", "admin", "member", "viewer"] as const;
const selectClass =
  "rounded border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-700 dark:bg-slate-900";

function useMemberAction() {
  const router = useRouter();
  const [message, setMessage] = useState<MemberResult>();
  const [pending, start] = useTransition();
  const run = (work: () => Promise<MemberResult>) =>
    start(async () => {
      const result = await work();
      setMessage(result);
      if (result.ok) router.refresh();
    });
  return { message, pending, run };
}

function Outcome({ result }: { result: MemberResult | undefined }) {
  if (!result?.message) return null;
  return (
    <span
      role={result.ok ? "status" : "alert"}
      className={result.ok ? "text-green-700 dark:text-green-400" : "text-red-700 dark:text-red-400"}
    >
      {result.message}
    </span>
  );
}

/** The members with their roles; those who manage members change roles and remove people and agents. */
export function MemberList({
  projectId,
  members,
  canManage,
}: {
  projectId: string;
  members: Member[];
  canManage: boolean;
}) {
  const { message, pending, run } = useMemberAction();
  return (
    <div className="grid gap-2">
      <ul className="grid gap-2 text-sm" data-testid="members">
        {members.map((m) => (
          <li key={m.worker.id} className="flex flex-wrap items-center gap-2">
            <span className="min-w-40">
              <WorkerName worker={m.worker} /> <span className="text-slate-500">{m.worker.handle}</span>
            </span>
            {canManage ? (
              <>
                <select
                  aria-label={`Role of ${m.worker.name}`}
                  value={m.role}
                  disabled={pending}
                  onChange={(e) => run(() => changeMemberRole(projectId, m.worker.id, e.target.value))}
                  className={selectClass}
                >
                  {roles.map((r) => (
                    <option key={r} value={r}>
                      {r}
                    </option>
                  ))}
                </select>
                <button
                  type="button"
                  disabled={pending}
                  onClick={() => {
                    if (
                      window.confirm(
                        `Remove ${m.worker.name} from this project? Their open tasks here become unassigned.`,
                      )
                    ) {
                      run(() => removeMember(projectId, m.worker.id));
                    }
                  }}
                  className={secondaryButtonClass}
                >
                  Remove<span className="sr-only"> {m.worker.name}</span>
                </button>
              </>
            ) : (
              <span className="text-slate-500">{m.role}</span>
            )}
          </li>
        ))}
      </ul>
      <p className="min-h-5 text-sm" aria-live="polite">
        <Outcome result={message} />
      </p>
    </div>
  );
}

export function AddMember({
  projectId,
  candidates,
}: {
  projectId: string;
  candidates: { id: string; handle: string; name: string; kind: string }[];
}) {
  const [workerId, setWorkerId] = useState("");
  const [role, setRole] = useState("member");
  const { message, pending, run } = useMemberAction();
  if (candidates.length === 0) {
    return <p className="text-sm text-slate-500">Everyone in the organization is already a member.</p>;
  }
  const people = candidates.filter((c) => c.kind === "human");
  const agents = candidates.filter((c) => c.kind === "agent");
  return (
    <form
      className="flex flex-wrap items-end gap-2 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        if (workerId) run(() => addMember(projectId, workerId, role));
      }}
    >
      <label className="grid gap-1">
        <span>Add a member</span>
        <select value={workerId} onChange={(e) => setWorkerId(e.target.value)} className={selectClass}>
          <option value="">Choose…</option>
          {people.length > 0 ? (
            <optgroup label="People">
              {people.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.handle} (person)
                </option>
              ))}
            </optgroup>
          ) : null}
          {agents.length > 0 ? (
            <optgroup label="Agents">
              {agents.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.handle} (agent)
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
      </label>
      <label className="grid gap-1">
        <span>Role</span>
        <select value={role} onChange={(e) => setRole(e.target.value)} className={selectClass}>
          {roles.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={pending || !workerId} className={secondaryButtonClass}>
        Add member
      </button>
      <Outcome result={message} />
    </form>
  );
}
