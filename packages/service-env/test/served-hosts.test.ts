import { describe, expect, it } from "vitest";
import { envHostList } from "../src/env-values.ts";
import { isServedHost, servedHosts } from "../src/served-hosts.ts";

const sso = servedHosts([
  "https://sso.example.com/",
  "sso-platform",
  "sso-platform.taskflow.svc.cluster.local",
  "mcp-server:8001",
]);

describe("isServedHost (the DNS-rebinding guard)", () => {
  it("serves the public URL's host and the listed names, on any port", () => {
    for (const host of [
      "sso.example.com",
      "sso.example.com:443",
      "SSO.Example.COM.",
      "sso-platform:3001",
      "sso-platform.taskflow.svc.cluster.local:3001",
    ]) {
      expect(isServedHost(host, sso), host).toBe(true);
    }
  });

  it("serves a name listed with a port on that port only", () => {
    expect(isServedHost("mcp-server:8001", sso)).toBe(true);
    expect(isServedHost("mcp-server:9999", sso)).toBe(false);
    expect(isServedHost("mcp-server", sso)).toBe(false);
  });

  it("serves IP addresses (kubelet probes, a page loaded from the address itself) and loopback names", () => {
    for (const host of [
      "10.244.1.7:3001",
      "127.0.0.1:3001",
      "[::1]:3001",
      "[fd00::7]",
      "localhost:3001",
      "app.localhost",
    ]) {
      expect(isServedHost(host, servedHosts([])), host).toBe(true);
    }
  });

  it("refuses every other name, a rebinding attacker's above all, and malformed or missing Hosts", () => {
    for (const host of [
      "rebind.attacker.example:3001",
      "sso.example.com.attacker.example",
      "127.0.0.1.attacker.example:3001",
      "localhost.attacker.example",
      "1.2.3.4.5",
      "300.1.1.1",
      "sso.example.com:3001:1",
      "user@sso.example.com",
      "sso.example.com/path",
      "",
      undefined,
    ]) {
      expect(isServedHost(host, sso), String(host)).toBe(false);
    }
  });
});

describe("envHostList (ALLOWED_HOSTS)", () => {
  it("takes names, name:port and bracketed addresses", () => {
    expect(envHostList.parse(" sso-platform , api.example.com:8443,[::1]:3001,")).toEqual([
      "sso-platform",
      "api.example.com:8443",
      "[::1]:3001",
    ]);
  });

  it("refuses a URL, a path or a blank inside a name, naming the entry", () => {
    for (const bad of ["https://sso.example.com", "sso.example.com/x", "a b", "name:port"]) {
      const result = envHostList.safeParse(`ok,${bad}`);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues[0]?.message).toContain("entry 2");
    }
  });
});
