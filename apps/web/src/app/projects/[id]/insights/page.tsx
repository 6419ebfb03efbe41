import type { Project } from "@taskflow/contracts";
import type { Metadata } from "next";
import { AgentActivityChart } from "@/components/insights/agent-activity-chart";
import { CumulativeFlowChart } from "@/components/insights/cumulative-flow-chart";
import { FlowTimesChart } from "@/components/insights/flow-times-chart";
import { InsightsWindowForm } from "@/components/insights/insights-window-form";
import { RefusedWindow } from "@/components/insights/refused-window";
import { ThroughputChart } from "@/components/insights/throughput-chart";
import { ProjectNav } from "@/components/project-nav";
import { apiGet, sessionApi } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { type InsightsSearch, loadProjectInsights } from "@/lib/insights-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Project insights" };

/** How the project moves, who finishes what, how long work waits: SVG drawn here, no script in the page. */
export default async function ProjectInsightsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<InsightsSearch>;
}) {
  const { id } = await params;
  const search = await searchParams;
  const here = `/projects/${id}/insights`;
  const [project, { insights, refused }] = await Promise.all([
    apiGet<Project>(`/api/projects/${enc(id)}`, here),
    sessionApi(here).then((api) => loadProjectInsights(api, id, search)),
  ]);
  const showTables = search.view === "table";
  return (
    <div className="grid gap-4">
      <ProjectNav project={project} current="/insights" />
      <RefusedWindow refused={refused} />
      <InsightsWindowForm
        here={here}
        from={insights.from}
        to={insights.to}
        weeks={insights.throughput.length}
        showTables={showTables}
      />
      <div className="grid gap-4 xl:grid-cols-2">
        <CumulativeFlowChart days={insights.cumulativeFlow} showTable={showTables} />
        <ThroughputChart weeks={insights.throughput} showTable={showTables} />
        <FlowTimesChart
          timeInReview={insights.timeInReview}
          cycleTime={insights.cycleTime}
          showTable={showTables}
        />
        <AgentActivityChart agents={insights.agents} showTable={showTables} />
      </div>
    </div>
  );
}
