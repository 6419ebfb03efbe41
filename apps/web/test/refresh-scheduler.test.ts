import { describe, expect, it } from "vitest";
import { refreshScheduler, type SchedulerClock } from "../src/lib/refresh-scheduler.ts";

/** A clock the test moves by hand: timers run when `advance` passes them. */
function manualClock() {
  let now = 0;
  let hidden = false;
  let timers: { at: number; run: () => void; handle: number }[] = [];
  let next = 0;
  const clock: SchedulerClock = {
    now: () => now,
    setTimeout: (run, ms) => {
      next += 1;
      timers.push({ at: now + ms, run, handle: next });
      return next;
    },
    clearTimeout: (handle) => {
      timers = timers.filter((t) => t.handle !== handle);
    },
    hidden: () => hidden,
  };
  return {
    clock,
    hide: (value: boolean) => {
      hidden = value;
    },
    advance(ms: number) {
      const until = now + ms;
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((t) => t !== due);
        now = due.at;
        due.run();
      }
      now = until;
    },
  };
}

describe("when a live page refreshes", () => {
  it("turns a burst of changes into one refresh", () => {
    const time = manualClock();
    let refreshes = 0;
    const scheduler = refreshScheduler(() => refreshes++, { debounceMs: 150, minGapMs: 0 }, time.clock);
    for (let i = 0; i < 10; i++) scheduler.changed();
    time.advance(1_000);
    expect(refreshes).toBe(1);
    scheduler.changed();
    time.advance(1_000);
    expect(refreshes).toBe(2);
  });

  it("keeps the gap between refreshes of an expensive page, but still shows the last change", () => {
    const time = manualClock();
    let refreshes = 0;
    const scheduler = refreshScheduler(() => refreshes++, { debounceMs: 500, minGapMs: 5_000 }, time.clock);
    scheduler.changed();
    time.advance(600);
    expect(refreshes).toBe(1);
    scheduler.changed();
    time.advance(3_000);
    expect(refreshes).toBe(1);
    scheduler.changed();
    time.advance(3_000);
    expect(refreshes).toBe(2);
  });

  it("does not refresh a hidden tab, and refreshes once when it is shown again", () => {
    const time = manualClock();
    let refreshes = 0;
    const scheduler = refreshScheduler(() => refreshes++, { debounceMs: 150, minGapMs: 0 }, time.clock);
    time.hide(true);
    scheduler.changed();
    scheduler.changed();
    time.advance(10_000);
    expect(refreshes).toBe(0);
    time.hide(false);
    scheduler.visibilityChanged();
    time.advance(1_000);
    expect(refreshes).toBe(1);
    scheduler.visibilityChanged();
    time.advance(1_000);
    expect(refreshes).toBe(1);
  });

  it("refreshes nothing after it is stopped (the page was left)", () => {
    const time = manualClock();
    let refreshes = 0;
    const scheduler = refreshScheduler(() => refreshes++, { debounceMs: 150, minGapMs: 0 }, time.clock);
    scheduler.changed();
    scheduler.stop();
    time.advance(1_000);
    expect(refreshes).toBe(0);
  });
});
