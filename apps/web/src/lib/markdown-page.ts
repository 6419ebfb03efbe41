// What a page's Markdown may link, from the request: the project's members (for @mentions), the dashboard's
// public origin (for pasted task URLs), and whether the reader may open agents' pages.
import type { WorkerSummary } from "@taskflow/contracts";
import { config } from "@/env";
import type { MarkdownLinks } from "./markdown";
import { readSession } from "./session";
import { orgClaims } from "./token-claims";

export async function markdownLinks(members: WorkerSummary[]): Promise<MarkdownLinks> {
  const session = await readSession();
  const role = session ? orgClaims(session.accessToken).orgRole : undefined;
  return {
    members,
    origin: new URL(config().publicUrl).origin,
    // Display only, as the API's rule for agent.read has it (owners and admins); the API decides on the page.
    agentPages: role === "owner" || role === "admin",
  };
}
