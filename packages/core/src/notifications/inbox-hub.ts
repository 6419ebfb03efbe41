/**
 * Tells live inboxes on this replica that their person's inbox changed, fed by the `taskflow_inbox`
 * notifications (inbox-announcements.ts), which PostgreSQL delivers to every replica once the change commits.
 * It carries no data: each inbox reads what it may see itself (inbox-feed.ts), so nothing is delivered on
 * someone else's say-so.
 */
export class InboxHub {
  readonly #watchers = new Map<string, Set<() => void>>();
  readonly #onClose = new Set<() => void>();
  #closed = false;

  /** Feed it the payloads of the `taskflow_inbox` channel (a person's worker id). */
  readonly onNotification = (payload: string): void => {
    for (const wake of [...(this.#watchers.get(payload) ?? [])]) wake();
  };

  /** Calls `wake` whenever the person's inbox changes, until the returned function is called. */
  watch(recipientId: string, wake: () => void, onClose?: () => void): () => void {
    if (onClose) {
      if (this.#closed) queueMicrotask(onClose);
      else this.#onClose.add(onClose);
    }
    let set = this.#watchers.get(recipientId);
    if (!set) {
      set = new Set();
      this.#watchers.set(recipientId, set);
    }
    set.add(wake);
    return () => {
      set.delete(wake);
      if (set.size === 0) this.#watchers.delete(recipientId);
      if (onClose) this.#onClose.delete(onClose);
    };
  }

  /** Ends every open inbox stream (SIGTERM): clients reconnect elsewhere with Last-Event-ID. */
  close(): void {
    this.#closed = true;
    for (const end of [...this.#onClose]) end();
    this.#onClose.clear();
  }

  watcherCount(): number {
    let n = 0;
    for (const set of this.#watchers.values()) n += set.size;
    return n;
  }
}
