// Rewrites the API's Server-Sent Events so that every change arrives as a plain `message` event (the API names
// each event by its audit action); `ping` keeps its name. Handles lines split across chunks.
export function toMessageEvents(): TransformStream<Uint8Array, Uint8Array> {
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  let buffer = "";
  const rewrite = (line: string) =>
    line.startsWith("event:") && line.slice(6).trim() !== "ping" ? "" : `${line}\n`;
  return new TransformStream({
    transform(chunk, controller) {
      buffer += decoder.decode(chunk, { stream: true });
      const lines = buffer.split("\n");
      buffer = lines.pop() ?? "";
      const out = lines.map(rewrite).join("");
      if (out) controller.enqueue(encoder.encode(out));
    },
    flush(controller) {
      if (buffer) controller.enqueue(encoder.encode(rewrite(buffer)));
    },
  });
}
