import type { AgentActivity, Worker } from "@taskflow/contracts";
import type { Metadata } from "next";
import Link from "next/link";
import { AgentActivityChart } from "@/components/insights/agent-activity-chart";
import { AgentWeeksChart } from "@/components/insights/agent-weeks-chart";
import { InsightsWindowForm } from "@/components/insights/insights-window-form";
import { RefusedWindow } from "@/components/insights/refused-window";
import { apiGet, sessionApi } from "@/lib/api";
import { enc } from "@/lib/api-client";
import { type InsightsSearch, loadAgentInsights } from "@/lib/insights-page";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Agent insights" };

function busy(a: AgentActivity): boolean {
  return a.claims + a.completions + a.rejections + a.stopRequests > 0;
}

/** What one agent did, across the organization's projects: SVG drawn here, no script in the page. */
export default async function AgentInsightsPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<InsightsSearch>;
}) {
  const { id } = await params;
  const search = await searchParams;
  const here = `/agents/${id}/insights`;
  const [agent, { insights, refused }] = await Promise.all([
    apiGet<Worker>(`/api/agents/${enc(id)}`, here),
    sessionApi(here).then((api) => loadAgentInsights(api, id, search)),
  ]);
  const showTables = search.view === "table";
  return (
    <div className="grid gap-4">
      <div>
        <Link href={`/agents/${agent.id}`} className="text-sm text-slate-500 hover:underline">
          ← {agent.name}
        </Link>
        <h1 className="text-2xl font-semibold">
          Insights: {agent.name}{" "}
          <span className="text-base font-normal text-slate-500">{agent.handle} · agent</span>
        </h1>
      </div>
      <RefusedWindow refused={refused} />
      <InsightsWindowForm
        here={here}
        from={insights.from}
        to={insights.to}
        weeks={insights.weekly.length}
        showTables={showTables}
      />
      <div className="grid gap-4 xl:grid-cols-2">
        <AgentActivityChart
          agents={busy(insights.activity) ? [insights.activity] : []}
          empty="The agent claimed, completed and was asked to stop nothing in these days."
          showTable={showTables}
          title={`From ${insights.from} to ${insights.to}`}
        />
        <AgentWeeksChart weeks={insights.weekly} showTable={showTables} />
      </div>
    </div>
  );
}
