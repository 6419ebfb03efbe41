import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../errors.ts";
import { postWebhook } from "./post-webhook.ts";
import { assertWebhookTarget, blockedAddressReason, embeddedIpv4 } from "./target-guard.ts";

const strict = { allowPrivateTargets: false };
const lenient = { allowPrivateTargets: true };

describe("blockedAddressReason", () => {
  it.each([
    ["127.0.0.1", /loopback/],
    ["127.255.0.9", /loopback/],
    ["10.0.0.1", /private/],
    ["172.16.0.1", /private/],
    ["172.31.255.254", /private/],
    ["192.168.1.10", /private/],
    ["100.64.0.1", /carrier-grade NAT/],
    ["169.254.169.254", /link-local/],
    ["0.0.0.0", /unspecified/],
    ["224.0.0.1", /multicast/],
    ["255.255.255.255", /reserved/],
    ["::1", /loopback/],
    ["::", /unspecified/],
    ["fc00::1", /unique local/],
    ["fd12:3456::1", /unique local/],
    ["fe80::1", /link-local/],
    ["::ffff:127.0.0.1", /loopback/],
    ["::ffff:7f00:1", /loopback/],
    ["::ffff:a9fe:a9fe", /link-local/],
    ["::ffff:10.1.2.3", /private/],
    ["64:ff9b::a00:1", /private/],
    ["2002:c0a8:101::1", /private/],
  ])("refuses %s by default", (address, reason) => {
    expect(blockedAddressReason(address, strict)).toMatch(reason);
  });

  it.each(["8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8"])(
    "lets the public address %s through",
    (address) => {
      expect(blockedAddressReason(address, strict)).toBeNull();
    },
  );

  it("lets loopback and private networks through when allowed, but never link-local or unspecified", () => {
    for (const address of ["127.0.0.1", "10.0.0.1", "192.168.0.1", "::1", "fd00::1", "::ffff:127.0.0.1"]) {
      expect(blockedAddressReason(address, lenient), address).toBeNull();
    }
    for (const address of ["169.254.169.254", "0.0.0.0", "fe80::1", "::ffff:169.254.169.254"]) {
      expect(blockedAddressReason(address, lenient), address).not.toBeNull();
    }
  });

  // Red-team finding 11: IPv6 forms that carry (or tunnel to) an IPv4 address, deprecated site-local,
  // and the documentation ranges were accepted. Each row: the address, why it is refused by default, and
  // whether allowing private targets (WEBHOOK_ALLOW_PRIVATE_TARGETS) lets it through.
  it.each([
    ["::127.0.0.1", /loopback/, true],
    ["::7f00:1", /loopback/, true],
    ["::10.0.0.1", /private/, true],
    ["::169.254.169.254", /link-local/, false],
    ["::ffff:0:127.0.0.1", /loopback/, true],
    ["::ffff:0:7f00:1", /loopback/, true],
    ["::ffff:0:192.168.0.1", /private/, true],
    ["0:0:0:0:0:ffff:127.0.0.1", /loopback/, true],
    ["64:ff9b::127.0.0.1", /loopback/, true],
    ["64:ff9b::a9fe:a9fe", /link-local/, false],
    ["64:ff9b:1::7f00:1", /local-use NAT64/, true],
    ["64:ff9b:1:ffff::808:808", /local-use NAT64/, true],
    ["2002:7f00:1::", /loopback/, true],
    ["2002:a9fe:a9fe::1", /link-local/, false],
    ["2001:0:4136:e378:8000:63bf:80ff:fffe", /Teredo/, false],
    ["2001::1", /Teredo/, false],
    ["fec0::1", /site-local/, true],
    ["feff:ffff::1", /site-local/, true],
    ["192.0.2.2", /documentation/, true],
    ["198.51.100.7", /documentation/, true],
    ["203.0.113.250", /documentation/, true],
    ["::ffff:192.0.2.2", /documentation/, true],
    ["192.88.99.1", /6to4 relay/, true],
    ["2001:db8::1", /documentation/, true],
    ["3fff:0fff::1", /documentation/, true],
    ["2001:2::1", /benchmarking/, true],
    ["100::1", /discard/, false],
  ] as const)("refuses %s by default (%s)", (address, reason, allowedWhenPrivateAllowed) => {
    expect(blockedAddressReason(address, strict)).toMatch(reason);
    if (allowedWhenPrivateAllowed) expect(blockedAddressReason(address, lenient)).toBeNull();
    else expect(blockedAddressReason(address, lenient)).toMatch(reason);
  });

  it.each([
    "64:ff9b::808:808",
    "2002:808:808::1",
    "2001:4860:4860::8888",
    "2001:1::1",
    "3fff:1000::1",
    "192.0.3.1",
    "203.0.114.1",
  ])("still lets the public address %s through", (address) => {
    expect(blockedAddressReason(address, strict)).toBeNull();
  });

  it("finds the IPv4 address inside mapped, NAT64 and 6to4 addresses", () => {
    expect(embeddedIpv4("::127.0.0.1")).toBe("127.0.0.1");
    expect(embeddedIpv4("::ffff:0:127.0.0.1")).toBe("127.0.0.1");
    expect(embeddedIpv4("::1")).toBeNull();
    expect(embeddedIpv4("::")).toBeNull();
    expect(embeddedIpv4("::ffff:192.168.0.1")).toBe("192.168.0.1");
    expect(embeddedIpv4("::ffff:c0a8:1")).toBe("192.168.0.1");
    expect(embeddedIpv4("64:ff9b::808:808")).toBe("8.8.8.8");
    expect(embeddedIpv4("2002:0a00:0001::")).toBe("10.0.0.1");
    expect(embeddedIpv4("2606:4700::1111")).toBeNull();
  });
});

describe("assertWebhookTarget", () => {
  async function refusal(url: string, policy = strict): Promise<DomainError> {
    const error = await assertWebhookTarget(url, policy).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, url).toBeInstanceOf(DomainError);
    return error as DomainError;
  }

  it.each([
    "http://10.0.0.1/hook",
    "http://169.254.169.254/latest/meta-data/",
    "http://127.0.0.1:8080/",
    "http://localhost:8080/",
    "http://[::1]/",
    "http://[::ffff:127.0.0.1]/",
    "http://0.0.0.0/",
  ])("refuses %s as invalid input naming body.url", async (url) => {
    const error = await refusal(url);
    expect(error.code).toBe("invalid_input");
    expect(error.issues[0]?.field).toBe("body.url");
    expect(error.issues[0]?.message).toMatch(/^refused: /);
  });

  it("refuses other schemes and credentials in the URL", async () => {
    expect((await refusal("ftp://example.com/")).message).toMatch(/http/);
    expect((await refusal("https://user:pass@example.com/")).message).toMatch(/credentials/);
  });

  it("accepts loopback when private targets are allowed, and a public address literal always", async () => {
    await expect(assertWebhookTarget("http://127.0.0.1:9/", lenient)).resolves.toBeUndefined();
    await expect(assertWebhookTarget("https://8.8.8.8/hook", strict)).resolves.toBeUndefined();
    expect((await refusal("http://169.254.169.254/", lenient)).message).toMatch(/link-local/);
  });
});

describe("postWebhook checks the target again when it sends", () => {
  let server: Server;
  let port = 0;
  let hits = 0;
  beforeAll(async () => {
    server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("never connects to a loopback address or a name resolving to one under the default policy", async () => {
    for (const url of [`http://127.0.0.1:${port}/`, `http://localhost:${port}/`]) {
      const outcome = await postWebhook(url, {}, "{}", { policy: strict, timeoutMs: 5_000 });
      expect(outcome, url).toMatchObject({
        kind: "failed",
        permanent: true,
        error: expect.stringMatching(/^refused: .*loopback/),
      });
    }
    expect(hits).toBe(0);
  });

  it("sends when allowed, and reports the status code", async () => {
    const outcome = await postWebhook(`http://localhost:${port}/`, {}, "{}", {
      policy: lenient,
      timeoutMs: 5_000,
    });
    expect(outcome).toEqual({ kind: "answered", statusCode: 204 });
    expect(hits).toBe(1);
  });
});
