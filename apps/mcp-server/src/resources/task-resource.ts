import {
  type McpServer,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
} from "@modelcontextprotocol/server";
import { clientFailureOf, getTask, recordScopeDenial } from "@taskflow/core";
import { z } from "zod";
import type { ToolContext } from "../tools/tool-kit.ts";

const taskUuid = z.uuid();

/**
 * `taskflow://tasks/{taskId}`: a task with its subtasks, as JSON an agent can keep in context.
 * A URI is an address: one whose id is not a task the caller can see, malformed ids included, is
 * not found (InvalidParams, as the SDK answers an unknown URI and SEP-2164 settles), and a malformed
 * id never reaches the database. Other failures say what core's clientFailureOf lets a client learn,
 * never a database's text; a key used outside its scope is audited as on every other path.
 */
export function registerTaskResource(server: McpServer, context: ToolContext): void {
  server.registerResource(
    "task",
    new ResourceTemplate("taskflow://tasks/{taskId}", { list: undefined }),
    {
      title: "TaskFlow task",
      description: "A task with its direct subtasks",
      mimeType: "application/json",
    },
    async (uri, { taskId }) => {
      const id = taskUuid.safeParse(taskId);
      if (!id.success) throw notFound(uri.href);
      try {
        const task = await getTask(context.db, context.actor, id.data);
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(task, null, 2) }],
        };
      } catch (error) {
        await recordScopeDenial(context.db, context.actor, error).catch(() => false);
        throw readFailure(error, uri.href, context);
      }
    },
  );
}

function notFound(uri: string): ProtocolError {
  return new ResourceNotFoundError(uri, `Resource ${uri} not found`);
}

function readFailure(error: unknown, uri: string, context: ToolContext): ProtocolError {
  const failure = clientFailureOf(error);
  if (failure.kind === "refused") {
    return failure.error.code === "not_found"
      ? notFound(uri)
      : new ProtocolError(ProtocolErrorCode.InvalidParams, failure.error.message);
  }
  if (failure.kind === "unavailable") {
    context.onUnavailable?.();
    return new ProtocolError(
      ProtocolErrorCode.InternalError,
      "TaskFlow's database cannot be reached right now; try again shortly",
    );
  }
  context.logger?.error({ err: error }, "reading a task resource failed");
  return new ProtocolError(
    ProtocolErrorCode.InternalError,
    "TaskFlow could not read this resource because of an internal error",
  );
}
