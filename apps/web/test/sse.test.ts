import { describe, expect, it } from "vitest";
import { mergeChanges } from "../src/lib/live-merge.ts";
import { toMessageEvents } from "../src/lib/sse.ts";

const encoder = new TextEncoder();

function stream(chunks: string[]): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

const run = (chunks: string[], since?: number) =>
  new Response(stream(chunks).pipeThrough(toMessageEvents(since))).text();

const change = (id: number, createdAt: string) =>
  `id: ${id}\nevent: task.updated\ndata: ${JSON.stringify({ id: String(id), createdAt })}\n\n`;

describe("one project's stream", () => {
  it("turns named change events into plain messages and keeps pings, across chunk boundaries", async () => {
    const out = await run([
      "id: 7\nevent: task.status_",
      'changed\ndata: {"a":1}\n\nevent: ping\ndata: \n\n',
      "id: 8\nevent: task.created\ndata: {}\n\n",
    ]);
    expect(out).toBe('id: 7\ndata: {"a":1}\n\nevent: ping\ndata: \n\nid: 8\ndata: {}\n\n');
  });

  it("drops the replayed history the page already shows, keeps what came after it was rendered", async () => {
    const since = Date.parse("2026-03-01T12:00:00.000Z");
    const out = await run(
      [
        change(1, "2026-03-01T11:00:00.000Z"),
        "event: ping\ndata: \n\n",
        change(2, "2026-03-01T12:00:01.000Z"),
      ],
      since,
    );
    expect(out).toBe(
      `event: ping\ndata: \n\nid: 2\ndata: ${JSON.stringify({ id: "2", createdAt: "2026-03-01T12:00:01.000Z" })}\n\n`,
    );
  });

  it("reads CRLF lines, several data lines and comments as the SSE format says", async () => {
    const out = await run([": hello\r\nid: 3\r\nevent: x\r\ndata: a\r\ndata: b\r\n\r\n"]);
    expect(out).toBe("id: 3\ndata: a\ndata: b\n\n");
  });
});

describe("the end of a person's access, passed on", () => {
  const ended =
    'event: access_ended\ndata: {"reason":"lost","detail":"you may no longer read this project"}\n\n';

  it("keeps its name on one project's stream, however old the page, after the changes before it", async () => {
    const out = await run([change(9, "2026-03-01T12:00:01.000Z"), ended], Date.parse("2030-01-01T00:00:00Z"));
    expect(out).toBe(ended);
  });

  it("is passed on by name from one project of several, whose other projects keep coming", async () => {
    const encoderFor = new TextEncoder();
    let push: ((text: string) => void) | undefined;
    const open = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(encoderFor.encode(text));
      },
    });
    const merged = mergeChanges([stream([ended]), open], undefined).getReader();
    const decoder = new TextDecoder();
    expect(decoder.decode((await merged.read()).value)).toBe(ended);
    push?.(change(10, "2026-03-01T12:00:03.000Z"));
    expect(decoder.decode((await merged.read()).value)).toBe("data: change\n\n");
    await merged.cancel();
  });
});

describe("several projects' streams as one", () => {
  it("passes a bare message per new change from any project, one ping at a time, and ends when all end", async () => {
    const since = Date.parse("2026-03-01T12:00:00.000Z");
    const merged = mergeChanges(
      [
        stream([
          change(1, "2026-03-01T11:00:00.000Z"),
          "event: ping\ndata: \n\n",
          change(5, "2026-03-01T12:00:02.000Z"),
        ]),
        stream(["event: ping\ndata: \n\n", change(4, "2026-03-01T12:00:01.000Z")]),
      ],
      since,
      () => 1_000,
    );
    const out = await new Response(merged).text();
    expect(out.match(/data: change\n\n/g)).toHaveLength(2);
    expect(out.match(/event: ping\n/g)).toHaveLength(1);
    expect(out).not.toContain("id:");
  });

  it("ends at once with no stream, and cancelling it cancels every project's stream", async () => {
    expect(await new Response(mergeChanges([], undefined)).text()).toBe("");
    const cancelled: unknown[] = [];
    const endless = () =>
      new ReadableStream<Uint8Array>({
        cancel(reason) {
          cancelled.push(reason);
        },
      });
    const merged = mergeChanges([endless(), endless()], undefined);
    await merged.cancel("closed tab");
    await new Promise((resolve) => setImmediate(resolve));
    expect(cancelled).toEqual(["closed tab", "closed tab"]);
  });
});
