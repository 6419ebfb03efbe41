import type { AgentRun, RunActivity, WorkerSummary } from "@taskflow/contracts";
import type { ReactNode } from "react";
import { type MarkdownLinks, noLinks } from "@/lib/markdown";
import {
  firstLine,
  openQuestions,
  runEnded,
  runNeedsLook,
  runStateLabel,
  showParameters,
  visibleActivities,
} from "@/lib/run-view";
import { panelClass } from "./form-message";
import { Markdown } from "./markdown";
import { RunAnswerForm } from "./run-answer-form";
import { RunPromptBox } from "./run-prompt-box";
import { When } from "./when";
import { WorkerName } from "./worker-name";

// What agents and people wrote is Markdown, rendered by the one safe renderer (raw HTML shows as the characters it
// is); a tool's output stays text as it came.
const prose = "whitespace-pre-wrap break-words";

function StateBadge({ run }: { run: AgentRun }) {
  const look = runNeedsLook(run);
  const tone =
    look === "stale"
      ? "bg-amber-100 text-amber-900 dark:bg-amber-900 dark:text-amber-100"
      : look === "error"
        ? "bg-red-100 text-red-900 dark:bg-red-900 dark:text-red-100"
        : look === "question"
          ? "bg-indigo-100 text-indigo-900 dark:bg-indigo-900 dark:text-indigo-100"
          : "bg-slate-200 dark:bg-slate-800";
  return (
    <span data-testid="run-state" data-state={run.state} className={`rounded px-2 py-0.5 text-xs ${tone}`}>
      {runStateLabel(run.state)}
    </span>
  );
}

function Activity({
  activity,
  workers,
  answerForm,
  links,
}: {
  activity: RunActivity;
  workers: Map<string, WorkerSummary>;
  answerForm: ReactNode;
  links: MarkdownLinks;
}) {
  const who = <WorkerName worker={activity.authorId ? workers.get(activity.authorId) : undefined} />;
  const when = <When iso={activity.createdAt} show="relative" />;
  const meta = (label: string) => (
    <div className="text-xs text-slate-500">
      {label} · {who} · {when}
    </div>
  );
  switch (activity.type) {
    case "thought":
      return (
        <details className="text-sm text-slate-600 dark:text-slate-400">
          <summary className="cursor-pointer">
            Thought{activity.ephemeral ? " (passing)" : ""}: {firstLine(activity.body)}
          </summary>
          <Markdown text={activity.body} links={links} className="mt-1" />
        </details>
      );
    case "action":
      return (
        <div className="text-sm">
          {meta("Action")}
          <p>
            Used <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">{activity.action?.tool}</code>
          </p>
          {activity.body ? <Markdown text={activity.body} links={links} /> : null}
          {activity.action?.parameters ? (
            <pre className="mt-1 overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800">
              {showParameters(activity.action.parameters)}
            </pre>
          ) : null}
          {activity.action?.result ? (
            <div className="mt-1">
              <div className="text-xs text-slate-500">Result</div>
              <pre className={`rounded bg-slate-100 p-2 text-xs dark:bg-slate-800 ${prose}`}>
                {activity.action.result}
              </pre>
            </div>
          ) : null}
        </div>
      );
    case "elicitation":
      return (
        <div className="rounded border border-indigo-300 p-2 text-sm dark:border-indigo-800">
          {meta(activity.elicitation?.answeredById ? "Question (answered)" : "Question")}
          <Markdown text={activity.body} links={links} className="font-medium" />
          {activity.elicitation?.choices ? (
            <p className="text-xs text-slate-500">
              Choices: {activity.elicitation.choices.map((c) => c.label).join(" · ")}
              {activity.elicitation.multiple ? " (several may be picked)" : ""}
            </p>
          ) : null}
          {answerForm}
        </div>
      );
    case "response":
      return (
        <div className="rounded border border-green-300 bg-green-50 p-2 text-sm dark:border-green-800 dark:bg-green-950">
          {meta(activity.signal === "stop" ? "Stopped" : "Response")}
          <Markdown text={activity.body} links={links} />
        </div>
      );
    case "error":
      return (
        <div
          role="note"
          className="rounded border border-red-300 bg-red-50 p-2 text-sm dark:border-red-800 dark:bg-red-950"
        >
          {meta("Error")}
          <Markdown text={activity.body} links={links} />
        </div>
      );
    case "prompt":
      return (
        <div className="ml-6 rounded bg-slate-100 p-2 text-sm dark:bg-slate-800">
          {meta(activity.signal === "stop" ? "Stop" : activity.answer ? "Answer" : "Prompt")}
          {activity.answer?.selected ? <p>Picked: {activity.answer.selected.join(", ")}</p> : null}
          {activity.body ? <Markdown text={activity.body} links={links} /> : null}
        </div>
      );
  }
}

/** One agent run on the task page: its state, its activities as they happen, and what a person can say to it. */
export function RunView({
  run,
  activities,
  workers,
  canWork,
  links = noLinks,
}: {
  run: AgentRun;
  activities: RunActivity[];
  workers: Map<string, WorkerSummary>;
  canWork: boolean;
  links?: MarkdownLinks;
}) {
  const open = openQuestions(activities);
  return (
    <section
      aria-label={`Run of ${workers.get(run.agentId)?.handle ?? "an agent"}`}
      data-testid="run-view"
      data-run-id={run.id}
      className={`grid gap-3 ${panelClass}`}
    >
      <div className="flex flex-wrap items-baseline gap-2">
        <h3 className="font-semibold">
          <WorkerName worker={workers.get(run.agentId)} />
        </h3>
        <StateBadge run={run} />
        <span className="text-xs text-slate-500">
          opened <When iso={run.createdAt} /> · last activity{" "}
          <When iso={run.lastActivityAt} show="relative" />
          {run.stopRequested ? " · asked to stop" : ""}
        </span>
      </div>
      {activities.length === 0 ? (
        <p className="text-sm text-slate-500">Nothing yet: the agent has not started.</p>
      ) : (
        <ol className="grid gap-2">
          {visibleActivities(activities).map((activity) => (
            <li key={activity.id} data-activity-type={activity.type}>
              <Activity
                activity={activity}
                workers={workers}
                links={links}
                answerForm={
                  canWork && open.has(activity.id) ? (
                    <RunAnswerForm
                      runId={run.id}
                      questionId={activity.id}
                      taskId={run.taskId}
                      choices={activity.elicitation?.choices ?? null}
                      multiple={activity.elicitation?.multiple ?? false}
                    />
                  ) : null
                }
              />
            </li>
          ))}
        </ol>
      )}
      {canWork ? <RunPromptBox runId={run.id} taskId={run.taskId} canStop={!runEnded(run)} /> : null}
    </section>
  );
}
