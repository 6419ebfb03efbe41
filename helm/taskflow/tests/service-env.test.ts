// The other direction of the service contract: every variable a service reads (the names of its env schema,
// `envVariableNames` in apps/<service>/src/env.ts) is in docs/service-contract.md, and the chart can set it. A
// service that starts reading a variable the chart cannot set is configurable everywhere but in Kubernetes, where
// the original TaskFlow's chart set CORS_ORIGINS while its API read ALLOWED_ORIGINS.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { contractNames, podSpec, resolveEnv, type ServiceKey, services } from "./contract.ts";
import { chartDir, parseObjects, repoRoot, template } from "./helm.ts";

/**
 * Variables a service reads that its pod does not get, each with the reason. A new variable belongs in the chart,
 * or here with its reason.
 */
const notSetByTheChart: Record<ServiceKey, Record<string, string>> = {
  sso: {
    DEV_MAILBOX_REMOTE_ADMINS: "development only: the dev mailbox is never served in production",
    UPSTREAM_OIDC_ISSUER: "signing in through an upstream OpenID provider is not offered by the chart yet",
    UPSTREAM_OIDC_CLIENT_ID: "as UPSTREAM_OIDC_ISSUER",
    UPSTREAM_OIDC_CLIENT_SECRET: "as UPSTREAM_OIDC_ISSUER",
    UPSTREAM_OIDC_NAME: "as UPSTREAM_OIDC_ISSUER",
  },
  api: {
    SSO_REVOCATIONS_URL: "derived from SSO_JWKS_URL, which the chart points at the SSO's Service",
  },
  web: {},
  mcp: {
    SSO_REVOCATIONS_URL: "derived from SSO_JWKS_URL, which the chart points at the SSO's Service",
  },
};

// The chart leaves a variable out of a pod when its value is empty, as most are by default. So the values are
// rendered with every `<service>.env` value set, and mail turned on: what a pod gets then is what the chart can set.
function renderedWithEverythingSet() {
  const values = parse(readFileSync(join(chartDir, "values.yaml"), "utf8")) as Record<
    ServiceKey,
    { env?: Record<string, unknown> }
  >;
  const everyEnvValue = (Object.keys(services) as ServiceKey[]).flatMap((svc) =>
    Object.keys(values[svc].env ?? {}).flatMap((name) => ["--set-string", `${svc}.env.${name}=1`]),
  );
  return parseObjects(
    template([
      ...everyEnvValue,
      "--set",
      "sso.smtp.enabled=true",
      "--set-string",
      "sso.smtp.user=taskflow",
      "--set-string",
      "sso.smtp.password=smtp-password-0123456789",
    ]),
  );
}

async function namesRead(svc: ServiceKey): Promise<string[]> {
  const module = (await import(
    pathToFileURL(join(repoRoot, services[svc].workspace, "src", "env.ts")).href
  )) as {
    envVariableNames: readonly string[];
  };
  return [...module.envVariableNames];
}

describe.each(Object.keys(services) as ServiceKey[])("%s", (svc) => {
  it("documents every variable it reads in docs/service-contract.md", async () => {
    const documented = contractNames()[svc];
    const undocumented = (await namesRead(svc)).filter(
      (name) => !documented.has(name) && !(name in notSetByTheChart[svc]),
    );
    expect(undocumented).toEqual([]);
  });

  it("gets every variable it reads from the chart, or the reason it does not", async () => {
    const rendered = renderedWithEverythingSet();
    const deployment = rendered.find(
      (o) => o.kind === "Deployment" && o.metadata.name === services[svc].deployment,
    );
    const main = deployment && podSpec(deployment).containers[0];
    if (!main) throw new Error(`no Deployment ${services[svc].deployment}`);
    const { env, missing } = resolveEnv(main, rendered);
    expect(missing).toEqual([]);
    const read = await namesRead(svc);
    expect(read.filter((name) => !(name in env) && !(name in notSetByTheChart[svc]))).toEqual([]);
    // and the reasons stay true: a name listed here that the chart now sets, or the service no longer reads, goes
    expect(Object.keys(notSetByTheChart[svc]).filter((name) => name in env || !read.includes(name))).toEqual(
      [],
    );
  });
});
