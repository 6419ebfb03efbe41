import type { WorkerSummary } from "@taskflow/contracts";
import { avatarLook, initialsOf } from "@/lib/avatar";

/**
 * A worker's initials: a circle for a person, a rounded square for an agent, each kind in its own colours. Labelled
 * for screen readers ("Person" / "Agent"); the name beside it is read as text.
 */
export function Avatar({
  worker,
  size = "sm",
}: {
  worker: Pick<WorkerSummary, "id" | "kind" | "name" | "handle">;
  size?: "sm" | "md";
}) {
  const { shape, colour } = avatarLook(worker);
  const dimensions = size === "md" ? "h-8 w-8 text-xs" : "h-5 w-5 text-[0.6rem]";
  const label = worker.kind === "agent" ? "Agent" : "Person";
  return (
    <span
      role="img"
      aria-label={label}
      title={label}
      data-avatar={worker.kind}
      className={`inline-flex shrink-0 select-none items-center justify-center align-middle font-semibold leading-none text-white ${dimensions} ${shape} ${colour}`}
    >
      <span aria-hidden="true">{initialsOf(worker)}</span>
    </span>
  );
}
