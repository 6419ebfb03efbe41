import {
  type CallToolResult,
  type InputRequiredResult,
  isInputRequiredResult,
  type McpServer,
  type ToolAnnotations,
} from "@modelcontextprotocol/server";
import {
  type Actor,
  clientFailureOf,
  type ProjectWatch,
  recordScopeDenial,
  type ScopedAction,
  type TaskflowDb,
} from "@taskflow/core";
import type { Logger } from "pino";
import type { z } from "zod";
import { scopeForTool } from "../auth/scopes.ts";
import { type ToolCall, toolCallOf } from "./tool-call.ts";
import { toolErrorResult } from "./tool-errors.ts";

/** What a tool runs with: the database and the verified caller of this request. */
export interface ToolContext {
  db: TaskflowDb;
  actor: Actor;
  /** Scopes of the caller's token (OAuth or personal access token); null for agent API keys, whose scopes core enforces. */
  scopes: ReadonlySet<string> | null;
  /** Lease length of claims made through this server (LEASE_SECONDS); the domain default if unset. */
  leaseSeconds?: number;
  /** Delegation links a chain may have (DELEGATION_MAX_DEPTH, as the API); the domain default if unset. */
  delegationMaxDepth?: number;
  /** Where internal failures are logged (their text never reaches the client); none over stdio. */
  logger?: Pick<Logger, "error">;
  /** Wakes a waiting tool (ask and wait) when its project changes: the LISTEN/NOTIFY fan-out; polling without. */
  watch?: ProjectWatch;
  /**
   * Told when a call lost the database (an outage, not a refusal): over HTTP the whole request is then
   * answered 503 with Retry-After, as the REST API answers, instead of a tool result inside a 200.
   */
  onUnavailable?: () => void;
}

export interface ToolDefinition<I extends z.ZodObject, O extends z.ZodObject> {
  name: `taskflow_${string}`;
  /** What it does, in core's terms: its OAuth scope is that action's (actionScopes). */
  action: ScopedAction;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations: ToolAnnotations;
  /**
   * `call.signal`: the client cancelled the call or went away (a waiting tool stops waiting). A tool may answer
   * `input_required` (MCP 2026-07-28) only when `call.canElicit` says the client can take it.
   */
  run(context: ToolContext, args: z.infer<I>, call: ToolCall): Promise<z.infer<O> | InputRequiredResult>;
  /** The short text beside the structured result, for clients that show only text. */
  summarize(result: z.infer<O>): string;
}

/** A tool ready to be put on a server built for one request. */
export interface TaskflowTool {
  name: string;
  action: ScopedAction;
  annotations: ToolAnnotations;
  register(server: McpServer, context: ToolContext): void;
}

const scopeMessage = (name: string, scope: string) =>
  `${name} needs the ${scope} scope, which your token lacks. ` +
  `Sign in again asking for ${scope}, or use an agent API key.`;

/**
 * Defines a tool. A caller with a token needs the scope of the tool's action (core's actionScopes,
 * through auth/scopes.ts); every domain failure comes back as an `isError` result with a hint of
 * what to do next, never as a protocol error.
 */
export function defineTool<I extends z.ZodObject, O extends z.ZodObject>(
  tool: ToolDefinition<I, O>,
): TaskflowTool {
  return {
    name: tool.name,
    action: tool.action,
    annotations: tool.annotations,
    register(server, context) {
      // Registered with the erased schema type; arguments are re-read through the tool's own schema
      // below, so the handler gets its exact input type without a cast.
      const inputSchema: z.ZodObject = tool.input;
      server.registerTool(
        tool.name,
        {
          title: tool.title,
          description: tool.description,
          inputSchema,
          outputSchema: tool.output,
          annotations: { title: tool.title, openWorldHint: false, ...tool.annotations },
        },
        async (raw, ctx): Promise<CallToolResult | InputRequiredResult> => {
          // The HTTP transport refuses such a call with 403 before it gets here (auth/tool-call-scopes.ts);
          // this keeps the rule for any other way a scoped caller reaches a tool.
          const scope = scopeForTool(tool);
          if (context.scopes && !context.scopes.has(scope)) {
            return { isError: true, content: [{ type: "text", text: scopeMessage(tool.name, scope) }] };
          }
          try {
            const result = await tool.run(context, tool.input.parse(raw), toolCallOf(ctx));
            if (isInputRequiredResult(result)) return result;
            return { structuredContent: result, content: [{ type: "text", text: tool.summarize(result) }] };
          } catch (error) {
            // An agent key used outside its scope is audited once the call's transaction rolled back.
            await recordScopeDenial(context.db, context.actor, error).catch(() => false);
            const failure = clientFailureOf(error).kind;
            if (failure === "internal")
              context.logger?.error({ err: error, tool: tool.name }, "tool call failed");
            if (failure === "unavailable") context.onUnavailable?.();
            return toolErrorResult(error);
          }
        },
      );
    },
  };
}
