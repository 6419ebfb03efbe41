import { AsyncLocalStorage } from "node:async_hooks";
import type { ServerEvent, ServerEventBus } from "@modelcontextprotocol/server";

/** Starts one listen's own events (its caller's, decided for it) and returns how to stop them. */
export type ListenSource = (deliver: (event: ServerEvent) => void) => () => void;

/**
 * The bus the SDK's `subscriptions/listen` streams subscribe to, with one source per stream. The SDK's
 * listen router (ack first, the client's filter, subscription ids, keep-alive) subscribes each stream it
 * opens to one bus and would hand every published event to every stream: fine in one process for public
 * events, wrong for TaskFlow's, which each caller may or may not receive. So nothing is published here:
 * the router's `subscribe` for a stream is answered by the source of the request that opened it (carried
 * through the SDK's handler in async context), which feeds that stream alone from the database's
 * LISTEN/NOTIFY fan-out.
 */
export class ListenBus implements ServerEventBus {
  readonly #opening = new AsyncLocalStorage<ListenSource>();

  /** Runs `serve` (the SDK's handler for a listen request) with `source` as what its stream subscribes to. */
  opening<T>(source: ListenSource, serve: () => T): T {
    return this.#opening.run(source, serve);
  }

  /** Events come from each listen's own source; nothing is broadcast. */
  publish(): void {}

  subscribe(listener: (event: ServerEvent) => void): () => void {
    const source = this.#opening.getStore();
    return source ? source(listener) : () => {};
  }
}
