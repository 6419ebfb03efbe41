import { describe, expect, it } from "vitest";
import { inboxFilter, inboxHref, settingsFromForm } from "../src/lib/inbox.ts";
import { badgeLabel, badgeText, unreadFromEvent } from "../src/lib/inbox-badge.ts";

describe("the inbox's filter in the URL", () => {
  it("keeps known kinds, unread=true and a cursor; drops anything else", () => {
    expect(inboxFilter({ kind: "mention", unread: "true", cursor: "eyJvIjoi" })).toEqual({
      kind: "mention",
      unread: true,
      cursor: "eyJvIjoi",
    });
    expect(inboxFilter({ kind: "everything", unread: "yes", cursor: "a b" })).toEqual({});
    expect(inboxFilter({ kind: ["question", "mention"] })).toEqual({ kind: "question" });
  });

  it("round-trips through the page's links", () => {
    const filter = { kind: "review_requested" as const, unread: true };
    expect(inboxHref(filter)).toBe("/inbox?kind=review_requested&unread=true");
    expect(inboxFilter(Object.fromEntries(new URL(inboxHref(filter), "http://x").searchParams))).toEqual(
      filter,
    );
    expect(inboxHref({})).toBe("/inbox");
  });
});

describe("the settings form", () => {
  it("sends one known mode per known kind, nothing else", () => {
    const form = new FormData();
    form.set("email.mention", "digest");
    form.set("email.assigned", "off");
    form.set("email.question", "hourly");
    form.set("email.everything", "off");
    form.set("other", "x");
    expect(settingsFromForm(form)).toEqual({ mention: "digest", assigned: "off" });
  });
});

describe("the header's badge", () => {
  it("shows the count, capped, and says it in words", () => {
    expect(badgeText(3)).toBe("3");
    expect(badgeText(100)).toBe("99+");
    expect(badgeLabel(0)).toBe("Needs you, nothing unread");
    expect(badgeLabel(4)).toBe("Needs you 4 unread");
    expect(badgeLabel(120)).toBe("Needs you 99+ unread");
  });

  it("reads the count of an `inbox` event, and nothing else", () => {
    expect(unreadFromEvent('{"unread":2,"byKind":{"mention":2}}')).toBe(2);
    expect(unreadFromEvent('{"unread":-1}')).toBeNull();
    expect(unreadFromEvent('{"unread":"2"}')).toBeNull();
    expect(unreadFromEvent("not json")).toBeNull();
  });
});
