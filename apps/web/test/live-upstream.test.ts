import { describe, expect, it } from "vitest";
import { upstreamRefusal } from "../src/lib/live-upstream.ts";

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
