// When a live page refreshes itself: a burst of changes (an agent working through a task) becomes one refresh,
// refreshes come at most every `minGapMs` (a page that reads many projects costs many API calls per refresh), and
// a hidden tab does not refresh at all until it is shown again, once. Timers and visibility are passed in, so the
// rules are testable without a browser.

export interface SchedulerClock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  hidden(): boolean;
}

export interface RefreshScheduler {
  /** Something changed: refresh soon (or when the tab is shown again). */
  changed(): void;
  /** The tab became visible or hidden. */
  visibilityChanged(): void;
  stop(): void;
}

export function refreshScheduler(
  refresh: () => void,
  options: { debounceMs: number; minGapMs: number },
  clock: SchedulerClock,
): RefreshScheduler {
  let timer: unknown;
  let last = Number.NEGATIVE_INFINITY;
  let missedWhileHidden = false;
  const schedule = () => {
    // A refresh already on its way shows this change too.
    if (timer !== undefined) return;
    const wait = Math.max(options.debounceMs, last + options.minGapMs - clock.now());
    timer = clock.setTimeout(() => {
      timer = undefined;
      if (clock.hidden()) {
        missedWhileHidden = true;
        return;
      }
      last = clock.now();
      refresh();
    }, wait);
  };
  return {
    changed() {
      if (clock.hidden()) missedWhileHidden = true;
      else schedule();
    },
    visibilityChanged() {
      if (!clock.hidden() && missedWhileHidden) {
        missedWhileHidden = false;
        schedule();
      }
    },
    stop() {
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
    },
  };
}
