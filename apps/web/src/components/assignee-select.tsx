import type { WorkerSummary } from "@taskflow/contracts";
import { inputClass } from "./field";

/** Picks a project member: people and agents in separate groups, so nobody mistakes one for the other. */
export function AssigneeSelect({
  id = "assigneeId",
  name = "assigneeId",
  members,
  defaultValue = "",
  emptyLabel = "Nobody",
}: {
  id?: string;
  name?: string;
  members: WorkerSummary[];
  defaultValue?: string;
  emptyLabel?: string;
}) {
  const people = members.filter((m) => m.kind === "human");
  const agents = members.filter((m) => m.kind === "agent");
  return (
    <select id={id} name={name} defaultValue={defaultValue} className={inputClass}>
      <option value="">{emptyLabel}</option>
      {people.length > 0 ? (
        <optgroup label="People">
          {people.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({w.handle})
            </option>
          ))}
        </optgroup>
      ) : null}
      {agents.length > 0 ? (
        <optgroup label="Agents">
          {agents.map((w) => (
            <option key={w.id} value={w.id}>
              {w.name} ({w.handle}, agent)
            </option>
          ))}
        </optgroup>
      ) : null}
    </select>
  );
}
