/**
 * Reads a POST body once, to look at the JSON-RPC message(s) before the SDK does. `parsedBody` is
 * the JSON, handed to the transport so it is not parsed twice; when the body is not JSON, it stays
 * undefined and `request` carries the text again, so the SDK answers its own parse error.
 */
export async function readJsonRpcBody(raw: Request): Promise<{ request: Request; parsedBody: unknown }> {
  const text = await raw.text();
  try {
    return { request: raw, parsedBody: JSON.parse(text) };
  } catch {
    return {
      request: new Request(raw.url, { method: raw.method, headers: raw.headers, body: text }),
      parsedBody: undefined,
    };
  }
}
