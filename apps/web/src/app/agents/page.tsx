import type { Project, Worker } from "@taskflow/contracts";
import Link from "next/link";
import { AgentForm } from "@/components/agent-form";
import { EmptyState } from "@/components/empty-state";
import { apiCall, apiGetOr } from "@/lib/api";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agents" };

export default async function AgentsPage() {
  const [agents, projects] = await Promise.all([
    apiCall<Worker[]>("/api/agents", { returnTo: "/agents" }),
    apiGetOr<Project[]>("/api/projects", [], "/agents"),
  ]);
  // A new agent can join the projects where the person manages members (the API decides it again).
  const joinable = projects
    .filter((project) => project.role === "owner" || project.role === "admin")
    .map(({ id, name }) => ({ id, name }));
  return (
    <div className="grid gap-6 md:grid-cols-[3fr_2fr]">
      <section>
        <h1 className="mb-4 text-2xl font-semibold">Agents</h1>
        {!agents.ok ? (
          <p className="text-slate-500">
            {agents.problem.detail ?? "Only the organization's owners and admins manage agents."}
          </p>
        ) : agents.data.length === 0 ? (
          <EmptyState title="No agents yet.">
            Register one with the form on this page, then{" "}
            <Link href="/connect" className="underline">
              connect it
            </Link>{" "}
            to your coding tool with the key it gets.
          </EmptyState>
        ) : (
          <ul className="grid gap-2">
            {agents.data.map((agent) => (
              <li
                key={agent.id}
                className="rounded border border-slate-200 bg-white p-3 text-sm dark:border-slate-800 dark:bg-slate-900"
              >
                <Link href={`/agents/${agent.id}`} className="font-medium hover:underline">
                  {agent.name}
                </Link>{" "}
                <span className="text-slate-500">{agent.handle}</span>
                <div className="text-xs text-slate-500">
                  {agent.agentType}
                  {agent.capabilities.length > 0 ? ` · ${agent.capabilities.join(", ")}` : ""}
                </div>
              </li>
            ))}
          </ul>
        )}
      </section>
      <AgentForm projects={joinable} />
    </div>
  );
}
