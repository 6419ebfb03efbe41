import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { generateWebhookSecret, signWebhookPayload, verifyWebhookSignature } from "./signature.ts";

describe("webhook signatures", () => {
  const secret = generateWebhookSecret();
  const body = JSON.stringify({ id: "1", event: "task.created" });

  it("is t=<seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const header = signWebhookPayload(secret, body, 1_790_000_000);
    const expected = createHmac("sha256", secret).update(`1790000000.${body}`).digest("hex");
    expect(header).toBe(`t=1790000000,v1=${expected}`);
  });

  it("verifies, and refuses a changed body, another secret or a stale timestamp", () => {
    const now = 1_790_000_000;
    const header = signWebhookPayload(secret, body, now);
    expect(verifyWebhookSignature(secret, header, body, { nowSeconds: now + 10 })).toBe(true);
    expect(verifyWebhookSignature(secret, header, `${body} `, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(generateWebhookSecret(), header, body, { nowSeconds: now })).toBe(false);
    expect(verifyWebhookSignature(secret, header, body, { nowSeconds: now + 301 })).toBe(false);
    expect(verifyWebhookSignature(secret, "v1=abc", body, { nowSeconds: now })).toBe(false);
  });

  it("makes secrets that start with whsec_ and differ every time", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
