// The command palette's logic, apart from React: what it offers on the current page (commands), which projects
// and tasks match what the person typed, and the order they are listed in. Pure functions.
import { statusLabel } from "./problem";

export interface PaletteProject {
  id: string;
  name: string;
}
export interface PaletteTask {
  id: string;
  title: string;
  status: string;
  projectId: string;
}
export interface PaletteResults {
  projects: PaletteProject[];
  tasks: PaletteTask[];
}

/** What the page the person is on tells the palette (set by CommandContext on the board, list and task page). */
export interface PaletteContext {
  project?: { id: string; name: string; canWork: boolean };
  task?: { id: string; title: string; status: string; canReview: boolean };
}

export type PaletteCommand =
  | { kind: "new-task"; label: string }
  | { kind: "assign-me"; label: string }
  | { kind: "status"; label: string; status: string }
  | { kind: "approve"; label: string }
  | { kind: "help"; label: string }
  | { kind: "project"; label: string; id: string }
  | { kind: "task"; label: string; id: string; hint: string };

/** The statuses a task may be set to from the palette, in board order. */
export const paletteStatuses = ["pending", "in_progress", "review", "blocked", "completed"] as const;

/** Every word typed appears in the label (case and accents aside); nothing typed matches everything. */
export function matches(label: string, query: string): boolean {
  const fold = (s: string) => s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  const haystack = fold(label);
  return fold(query)
    .split(/\s+/)
    .filter(Boolean)
    .every((word) => haystack.includes(word));
}

/** The commands the current page allows, those matching the query first in a fixed order. */
export function paletteCommands(context: PaletteContext, query: string): PaletteCommand[] {
  const commands: PaletteCommand[] = [];
  const { project, task } = context;
  if (project?.canWork) commands.push({ kind: "new-task", label: `Create a task in ${project.name}` });
  if (task && project?.canWork) {
    commands.push({ kind: "assign-me", label: `Assign “${task.title}” to me` });
    for (const status of paletteStatuses) {
      if (status !== task.status) {
        commands.push({
          kind: "status",
          status,
          label: `Change status of “${task.title}” to ${statusLabel(status)}`,
        });
      }
    }
  }
  if (task?.status === "review") commands.push({ kind: "approve", label: `Approve “${task.title}”` });
  commands.push({ kind: "help", label: "Show keyboard shortcuts" });
  return commands.filter((command) => matches(command.label, query));
}

/** Projects and tasks matching the query (at most 6 and 8), as palette entries to go to. */
export function paletteMatches(
  query: string,
  projects: PaletteProject[],
  tasks: PaletteTask[],
): PaletteResults {
  return {
    projects: projects
      .filter((p) => matches(p.name, query))
      .slice(0, 6)
      .map(({ id, name }) => ({ id, name })),
    tasks: tasks
      .filter((t) => matches(t.title, query))
      .slice(0, 8)
      .map(({ id, title, status, projectId }) => ({ id, title, status, projectId })),
  };
}

/** The palette's list: commands, then projects ("Go to …"), then tasks ("Open …"). */
export function paletteEntries(commands: PaletteCommand[], results: PaletteResults): PaletteCommand[] {
  return [
    ...commands,
    ...results.projects.map(
      (p): PaletteCommand => ({ kind: "project", id: p.id, label: `Go to project ${p.name}` }),
    ),
    ...results.tasks.map(
      (t): PaletteCommand => ({
        kind: "task",
        id: t.id,
        label: `Open task ${t.title}`,
        hint: statusLabel(t.status),
      }),
    ),
  ];
}

/** The next highlighted entry when moving by `step` (wraps around; nothing listed, nothing highlighted). */
export function stepIndex(current: number, step: 1 | -1, count: number): number {
  if (count === 0) return -1;
  return (((current + step) % count) + count) % count;
}
