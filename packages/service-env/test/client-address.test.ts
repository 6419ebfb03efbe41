import { describe, expect, it } from "vitest";
import { clientAddress } from "../src/client-address.ts";

describe("clientAddress", () => {
  it("is the socket's peer without trusted proxies, whatever X-Forwarded-For says", () => {
    expect(clientAddress("10.0.0.5", "203.0.113.9", 0)).toBe("10.0.0.5");
  });

  it("behind one proxy is the entry that proxy appended, not what the client wrote before it", () => {
    expect(clientAddress("10.0.0.5", "203.0.113.9, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(clientAddress("10.0.0.5", "198.51.100.7", 1)).toBe("198.51.100.7");
  });

  it("behind two proxies is the second entry from the right", () => {
    expect(clientAddress("10.0.0.5", "forged, 198.51.100.7, 10.1.0.2", 2)).toBe("198.51.100.7");
  });

  it("falls back to the peer when a trusted proxy sent no header, and folds IPv4-mapped IPv6", () => {
    expect(clientAddress("::ffff:192.0.2.1", undefined, 1)).toBe("192.0.2.1");
    expect(clientAddress("::FFFF:192.0.2.1", " , ", 1)).toBe("192.0.2.1");
    expect(clientAddress(undefined, undefined, 0)).toBe("unknown");
  });
});
