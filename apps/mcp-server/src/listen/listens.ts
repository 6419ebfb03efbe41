import {
  ProtocolErrorCode,
  SERVER_INFO_META_KEY,
  type ServerEvent,
  SUBSCRIPTION_ID_META_KEY,
} from "@modelcontextprotocol/server";
import type { AuditEntry } from "@taskflow/contracts";
import {
  type AccessEnd,
  clientFailureOf,
  latestProjectEventId,
  type ProjectEventHub,
  projectFeed,
  recordScopeDenial,
} from "@taskflow/core";
import { credentialExpiresAt } from "@taskflow/resource-auth";
import { z } from "zod";
import { serverInfo } from "../mcp-server-factory.ts";
import type { ToolContext } from "../tools/tool-kit.ts";
import { ListenBus, type ListenSource } from "./listen-bus.ts";
import { type ListenTarget, resolveListenTarget } from "./listen-targets.ts";

export interface ListenSettings {
  hub: ProjectEventHub;
  /**
   * Decides again, while a listen lives, as its request was decided: the `Authorization` it came with
   * resolved again (a revoked or expired key or token, a banned person fail there), then core's
   * authorizeProjectEvents for the project. Throws when refused.
   */
  reauthorize: (authorization: string | undefined, projectId: string) => Promise<void>;
  /** Listens one caller (an agent or a person, whatever credential) may have open at once here. */
  perCaller: number;
}

/** The most resource URIs one listen may name. */
export const maxListenUris = 100;

const ListenUris = z.array(z.string().max(200)).max(maxListenUris);
const subscriptionsField = "params.notifications.resourceSubscriptions";

/** A `subscriptions/listen` request as it arrived (validated again by the SDK, which owns the wire). */
export interface ListenMessage {
  id: string | number;
  params?: { notifications?: { resourceSubscriptions?: unknown } };
}

/** The listen request of a body, if that is what it is (a single message: batches are 2025's). */
export function listenMessageOf(body: unknown): ListenMessage | null {
  if (!body || typeof body !== "object" || Array.isArray(body)) return null;
  const message = body as { method?: unknown; id?: unknown };
  if (message.method !== "subscriptions/listen") return null;
  return typeof message.id === "string" || typeof message.id === "number" ? (body as ListenMessage) : null;
}

/**
 * `subscriptions/listen` (2026-07-28) over TaskFlow's LISTEN/NOTIFY fan-out. The SDK's listen router owns the
 * wire (the acknowledgement first, the client's filter, subscription ids, keep-alive); this decides what a
 * listen may hear and feeds it. Before the SDK sees the request: each URI is resolved and decided for the
 * caller (listen-targets.ts: core's authorizeProjectEvents, the REST streams' rule), one refused is
 * "Resource … not found" naming its field and nothing is opened, and a caller at its limit is refused. Then
 * each project named gets core's projectFeed (the REST streams' loop: the `taskflow_events` notifications of
 * every replica, the access decided again at least every 5 s and at once when a member is removed or a
 * credential revoked, the credential's expiry), whose changes become `notifications/resources/updated` for
 * the URIs they concern. Access lost ends the listen with a last JSON-RPC error for it (`data.accessEnded`:
 * the REST streams' `access_ended`); the process draining (its hub closes) ends it with the empty result the
 * specification names a graceful close.
 */
export function createListens(settings: ListenSettings) {
  const bus = new ListenBus();
  const openByCaller = new Map<string, number>();

  /** Holds one of the caller's listens; the returned function gives it back (once). */
  function hold(caller: string): (() => void) | null {
    const held = openByCaller.get(caller) ?? 0;
    if (held >= settings.perCaller) return null;
    openByCaller.set(caller, held + 1);
    let holding = true;
    return () => {
      if (!holding) return;
      holding = false;
      const left = (openByCaller.get(caller) ?? 1) - 1;
      if (left > 0) openByCaller.set(caller, left);
      else openByCaller.delete(caller);
    };
  }

  async function open(
    message: ListenMessage,
    context: ToolContext,
    authorization: string | undefined,
    forward: () => Promise<Response>,
  ): Promise<Response> {
    const requested = message.params?.notifications?.resourceSubscriptions;
    // Nothing of TaskFlow's asked for: the SDK answers (it acknowledges what it honors, or refuses the params).
    if (requested === undefined) return forward();
    const uris = ListenUris.safeParse(requested);
    if (!uris.success) {
      const issue = uris.error.issues[0];
      const field = [subscriptionsField, ...(issue?.path ?? []).map((p) => `[${String(p)}]`)].join("");
      return rpcError(message.id, ProtocolErrorCode.InvalidParams, `${field}: ${issue?.message}`, { field });
    }
    const { db, actor } = context;
    const release = hold(`${actor.tenantId}:${actor.workerId}`);
    if (!release) {
      return rpcError(
        message.id,
        ProtocolErrorCode.InternalError,
        `Subscription limit reached: at most ${settings.perCaller} open listens per caller; close one first`,
      );
    }
    try {
      const targets: ListenTarget[] = [];
      for (const [index, uri] of uris.data.entries()) {
        const target = await resolveListenTarget(db, actor, uri).catch(async (error: unknown) => {
          if (clientFailureOf(error).kind !== "refused") throw error;
          // A key used outside its scope is audited, as on every other path.
          await recordScopeDenial(db, actor, error).catch(() => false);
          return null;
        });
        if (!target) {
          release();
          const field = `${subscriptionsField}[${index}]`;
          return rpcError(message.id, ProtocolErrorCode.InvalidParams, `Resource ${uri} not found`, {
            field,
          });
        }
        targets.push(target);
      }
      const expiresAt = await credentialExpiresAt(db, actor, authorization);
      // Each project's feed starts after its latest change: the client reads the resources' state itself.
      const startAfter = new Map<string, number>();
      for (const { projectId } of targets) {
        if (!startAfter.has(projectId)) {
          startAfter.set(projectId, await latestProjectEventId(db, actor.tenantId, projectId));
        }
      }

      let finish: ((lastFrame?: string) => void) | undefined;
      let endedEarly: { lastFrame?: string } | undefined;
      const end = (lastFrame?: string) => {
        if (finish) finish(lastFrame);
        else endedEarly ??= lastFrame === undefined ? {} : { lastFrame };
      };
      const source: ListenSource = (deliver) => {
        const stop = new AbortController();
        for (const [projectId, afterId] of startAfter) {
          const heard = targets.filter((target) => target.projectId === projectId);
          const feed = projectFeed({
            hub: settings.hub,
            db,
            tenantId: actor.tenantId,
            projectId,
            afterId,
            reauthorize: () => settings.reauthorize(authorization, projectId),
            expiresAt,
            signal: stop.signal,
            filter: (entry) => heard.some((target) => target.reports(entry)),
          });
          void (async () => {
            for await (const item of feed) {
              if (item.kind === "event") {
                for (const target of heard) {
                  if (target.reports(item.entry)) deliver(resourceUpdated(target.uri, item.entry));
                }
              } else if (item.kind === "ended") {
                end(accessEnded(message.id, item.end));
                return;
              }
            }
            // Ended without being stopped: the hub closed, the process drains.
            if (!stop.signal.aborted) end(gracefulClose(message.id));
          })().catch((error: unknown) => {
            context.logger?.error({ err: error }, "a listen's feed failed");
            end(accessEnded(message.id, { reason: "unavailable", detail: "access could not be checked" }));
          });
        }
        return () => stop.abort();
      };

      const response = await bus.opening(source, forward);
      const sdkStream = response.body;
      if (!sdkStream || !response.headers.get("content-type")?.startsWith("text/event-stream")) {
        // Refused by the SDK (a header against the body, a bad filter, its own capacity): no stream opened.
        release();
        return response;
      }
      const reader = sdkStream.getReader();
      const encoder = new TextEncoder();
      let done = false;
      const body = new ReadableStream<Uint8Array>({
        start(controller) {
          finish = (lastFrame) => {
            if (done) return;
            done = true;
            release();
            if (lastFrame !== undefined) controller.enqueue(encoder.encode(lastFrame));
            controller.close();
            // The SDK's side of the stream tears down, and with it the feeds (the source's stop).
            void reader.cancel().catch(() => {});
          };
          if (endedEarly) finish(endedEarly.lastFrame);
        },
        async pull(controller) {
          const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
          if (done) return;
          if (chunk.done) finish?.();
          else controller.enqueue(chunk.value);
        },
        cancel() {
          // The client went away.
          finish?.();
        },
      });
      return new Response(body, { status: response.status, headers: response.headers });
    } catch (error) {
      release();
      throw error;
    }
  }

  return {
    /** The bus for the SDK's handler (createMcpHandler's `bus`). */
    bus,
    open,
    /** Listens open now, for one caller (tests, metrics). */
    openCount: (tenantId: string, workerId: string) => openByCaller.get(`${tenantId}:${workerId}`) ?? 0,
  };
}

export type Listens = ReturnType<typeof createListens>;

/** A change, for one URI the listen named: its audit entry's id and action say what happened. */
function resourceUpdated(uri: string, entry: AuditEntry): ServerEvent {
  return {
    kind: "resource_updated",
    uri,
    params: {
      _meta: {
        "taskflow/event": {
          id: entry.id,
          action: entry.action,
          entityType: entry.entityType,
          entityId: entry.entityId,
          taskId: entry.taskId,
        },
      },
    },
  };
}

const frame = (message: unknown) => `event: message\ndata: ${JSON.stringify(message)}\n\n`;

/** The last message of a listen whose caller may no longer hear it: an error for the listen request. */
function accessEnded(id: string | number, end: AccessEnd): string {
  return frame({
    jsonrpc: "2.0",
    id,
    error: {
      code: ProtocolErrorCode.InternalError,
      message: `access_ended (${end.reason}): ${end.detail}`,
      data: { accessEnded: end },
    },
  });
}

/** The specification's graceful close: the listen request's empty result. */
function gracefulClose(id: string | number): string {
  return frame({
    jsonrpc: "2.0",
    id,
    result: {
      resultType: "complete",
      _meta: { [SUBSCRIPTION_ID_META_KEY]: id, [SERVER_INFO_META_KEY]: serverInfo },
    },
  });
}

function rpcError(id: string | number, code: number, message: string, data?: unknown): Response {
  return Response.json({ jsonrpc: "2.0", id, error: { code, message, ...(data ? { data } : {}) } });
}
