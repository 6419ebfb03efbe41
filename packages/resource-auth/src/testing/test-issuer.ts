import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { exportJWK, generateKeyPair, type JWK, SignJWT } from "jose";

export interface MintOptions {
  sub?: string;
  orgId?: string;
  orgRole?: "owner" | "admin" | "member";
  email?: string;
  name?: string;
  audience?: string;
  issuer?: string;
  expiresIn?: string | number;
  azp?: string;
  extra?: Record<string, unknown>;
  /** Sign with a key that is not published in the JWKS (a forgery). */
  foreignKey?: boolean;
}

/**
 * Stands in for the SSO until tests run against it: a real ES256 key pair whose public half is
 * served as a JWKS on loopback, and tokens signed with it. The API verifies them on its
 * production code path.
 */
export async function startTestIssuer(options: { audience: string }) {
  const newKey = async () => {
    const pair = await generateKeyPair("ES256");
    const kid = randomUUID();
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid, alg: "ES256", use: "sig" };
    return { kid, privateKey: pair.privateKey, jwk };
  };
  let signing = await newKey();
  let published: JWK[] = [signing.jwk];
  const foreign = await generateKeyPair("ES256");
  // Outages of the key set, for fault tests: answered, failing (503), or hanging (no answer).
  let jwksMode: "up" | "failing" | "hanging" = "up";
  let jwksRequests = 0;
  const server: Server = createServer((req, res) => {
    if (req.url === "/jwks") {
      jwksRequests++;
      if (jwksMode === "hanging") return;
      if (jwksMode === "failing") {
        res.writeHead(503).end();
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: published }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (!address || typeof address === "string") throw new Error("issuer did not bind");
  const issuer = `http://127.0.0.1:${address.port}`;

  async function mint(o: MintOptions = {}): Promise<string> {
    const claims: Record<string, unknown> = {
      org_id: o.orgId ?? "org-default",
      org_role: o.orgRole ?? "owner",
      email: o.email ?? `${o.sub ?? "user"}@example.test`,
      name: o.name ?? o.sub ?? "Test User",
      // The dashboard's scopes (every TaskFlow scope); tests of a narrower token pass `extra.scope`.
      scope: "openid profile email taskflow:read taskflow:write taskflow:manage",
      ...(o.azp ? { azp: o.azp } : {}),
      ...o.extra,
    };
    return new SignJWT(claims)
      .setProtectedHeader({ alg: "ES256", kid: signing.kid })
      .setSubject(o.sub ?? randomUUID())
      .setIssuer(o.issuer ?? issuer)
      .setAudience(o.audience ?? options.audience)
      .setIssuedAt()
      .setExpirationTime(o.expiresIn ?? "15m")
      .sign(o.foreignKey ? foreign.privateKey : signing.privateKey);
  }

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    mint,
    /** A new signing key (new kid) signs from now on; the old one stays published unless told. */
    rotate: async (o: { keepOld?: boolean } = {}) => {
      signing = await newKey();
      published = o.keepOld === false ? [signing.jwk] : [...published, signing.jwk];
      return signing.kid;
    },
    /** The key set answers (`up`), fails with 503 (`failing`) or never answers (`hanging`). */
    setJwks: (mode: "up" | "failing" | "hanging") => {
      jwksMode = mode;
    },
    /** How many times the key set was asked for. */
    jwksRequests: () => jwksRequests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export type TestIssuer = Awaited<ReturnType<typeof startTestIssuer>>;
