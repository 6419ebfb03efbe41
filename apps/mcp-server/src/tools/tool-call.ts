import { CLIENT_CAPABILITIES_META_KEY, type ServerContext } from "@modelcontextprotocol/server";
import { z } from "zod";

/**
 * What a tool call carries beyond its arguments: the client's cancellation, and what MCP 2026-07-28's
 * multi-round-trip requests bring (whether the client can be asked for input within the call, and, on the call
 * that comes back with that input, the client's responses and the state the server handed out). All of it comes
 * from the client: a tool treats it as untrusted input, and core decides what it may do.
 */
export interface ToolCall {
  signal: AbortSignal;
  /**
   * The client can answer an elicitation form inside this call: a 2026-07-28 request whose own envelope declares
   * the `elicitation` capability (form mode). Never on the 2025 era, whose server-to-client requests need a
   * session this stateless server does not keep.
   */
  canElicit: boolean;
  /** The client's answers to the input requests of the previous round, keyed as the server named them. */
  inputResponses: Record<string, unknown> | undefined;
  /** The `requestState` the server returned with its `input_required` result, echoed by the client. */
  requestState: string | undefined;
}

// `elicitation: {}` declares form mode (the specification's default); `{ url: {} }` alone does not.
const Capabilities = z.object({
  elicitation: z
    .object({ form: z.object({}).loose().optional(), url: z.unknown().optional() })
    .loose()
    .optional(),
});

/** Reads the call's side material from the SDK's request context. */
export function toolCallOf(ctx: ServerContext): ToolCall {
  const envelope: Record<string, unknown> = ctx.mcpReq.envelope ?? {};
  const declared = Capabilities.safeParse(envelope[CLIENT_CAPABILITIES_META_KEY]);
  const elicitation = declared.success ? declared.data.elicitation : undefined;
  const state = ctx.mcpReq.requestState();
  return {
    signal: ctx.mcpReq.signal,
    canElicit: Boolean(elicitation && (elicitation.form || elicitation.url === undefined)),
    inputResponses: ctx.mcpReq.inputResponses,
    requestState: typeof state === "string" ? state : undefined,
  };
}
