import { describe, expect, it } from "vitest";
import { openedAtOnce, upstreamRefusal } from "../src/lib/live-upstream.ts";

describe("an event stream the API refused", () => {
  it("passes the API's refusal on as a problem", async () => {
    const answer = upstreamRefusal(403);
    expect(answer.status).toBe(403);
    expect(answer.headers.get("content-type")).toBe("application/problem+json");
    expect(await answer.json()).toMatchObject({
      status: 403,
      detail: "The API answered 403 to the event stream.",
    });
  });

  it("answers 502 when the API gave no stream or no answer at all", async () => {
    expect(upstreamRefusal(200).status).toBe(502);
    const unreachable = upstreamRefusal(undefined);
    expect(unreachable.status).toBe(502);
    expect(await unreachable.json()).toMatchObject({
      title: "Bad Gateway",
      detail: "The API could not be reached.",
    });
  });
});

describe("an event stream passed on to the browser", () => {
  it("starts with a comment at once, then the stream as it comes", async () => {
    const encoder = new TextEncoder();
    let push: ((text: string) => void) | undefined;
    let end: (() => void) | undefined;
    const upstream = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (text) => controller.enqueue(encoder.encode(text));
        end = () => controller.close();
      },
    });
    const reader = openedAtOnce(upstream).getReader();
    const decoder = new TextDecoder();
    // Nothing has come from the API yet, and the browser already has its first bytes.
    expect(decoder.decode((await reader.read()).value)).toBe(": open\n\n");
    push?.("data: change\n\n");
    expect(decoder.decode((await reader.read()).value)).toBe("data: change\n\n");
    end?.();
    expect((await reader.read()).done).toBe(true);
  });

  it("cancels the API's stream when the browser goes away", async () => {
    const cancelled: unknown[] = [];
    const upstream = new ReadableStream<Uint8Array>({
      cancel(reason) {
        cancelled.push(reason);
      },
    });
    const passedOn = openedAtOnce(upstream);
    await passedOn.cancel("tab closed");
    await new Promise((resolve) => setImmediate(resolve));
    expect(cancelled).toEqual(["tab closed"]);
  });
});
