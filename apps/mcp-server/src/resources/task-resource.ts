import { type McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
import { getTask } from "@taskflow/core";
import type { ToolContext } from "../tools/tool-kit.ts";

/** `taskflow://tasks/{taskId}`: a task with its subtasks, as JSON an agent can keep in context. */
export function registerTaskResource(server: McpServer, { db, actor }: ToolContext): void {
  server.registerResource(
    "task",
    new ResourceTemplate("taskflow://tasks/{taskId}", { list: undefined }),
    {
      title: "TaskFlow task",
      description: "A task with its direct subtasks",
      mimeType: "application/json",
    },
    async (uri, { taskId }) => {
      const task = await getTask(db, actor, String(taskId));
      return {
        contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(task, null, 2) }],
      };
    },
  );
}
