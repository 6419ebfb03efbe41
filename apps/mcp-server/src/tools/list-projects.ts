import { Project } from "@taskflow/contracts";
import { listProjects } from "@taskflow/core";
import { z } from "zod";
import { defineTool } from "./tool-kit.ts";

export const listProjectsTool = defineTool({
  name: "taskflow_list_projects",
  action: "project.read",
  title: "List projects",
  description: "The projects you can work in, with your role in each.",
  input: z.object({}),
  output: z.object({ projects: z.array(Project) }),
  annotations: { readOnlyHint: true, idempotentHint: true },
  run: async ({ db, actor }) => ({ projects: await listProjects(db, actor) }),
  summarize: ({ projects }) =>
    projects.length === 0
      ? "You are not a member of any project yet: ask a person to add you."
      : projects.map((p) => `${p.name} (${p.slug}) id=${p.id} role=${p.role}`).join("\n"),
});
