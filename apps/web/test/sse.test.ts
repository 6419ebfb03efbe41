import { describe, expect, it } from "vitest";
import { toMessageEvents } from "../src/lib/sse.ts";

async function run(chunks: string[]): Promise<string> {
  const encoder = new TextEncoder();
  const input = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
  return new Response(input.pipeThrough(toMessageEvents())).text();
}

describe("SSE rewrite", () => {
  it("turns named change events into plain messages and keeps pings, across chunk boundaries", async () => {
    const out = await run([
      "id: 7\nevent: task.status_",
      'changed\ndata: {"a":1}\n\nevent: ping\ndata: \n\n',
      "id: 8\nevent: task.created\ndata: {}\n\n",
    ]);
    expect(out).toBe('id: 7\ndata: {"a":1}\n\nevent: ping\ndata: \n\nid: 8\ndata: {}\n\n');
  });
});
