/**
 * The answers that carry a secret shown only once (an agent key, a personal access token, a webhook's or
 * an agent endpoint's signing secret), by route, with where the secret sits in the body. Such an answer is never kept
 * for an `Idempotency-Key` replay: only a salted hash of a key or token is stored anywhere, and a
 * row of the idempotency table must not undo that. `test/idempotency-secrets.security.test.ts`
 * checks this table against every operation of the published document that answers such a schema.
 */
export const oneTimeSecretAnswers: Readonly<Record<string, readonly string[]>> = {
  "POST /api/agents": ["apiKey.key"],
  "POST /api/agents/:id/keys": ["key"],
  "PUT /api/agents/:id/endpoint": ["secret"],
  "POST /api/agents/:id/endpoint/rotate-secret": ["secret"],
  "POST /api/personal-tokens": ["token"],
  "POST /api/projects/:id/webhooks": ["secret"],
  "POST /api/projects/:id/webhooks/:webhookId/rotate-secret": ["secret"],
};

/** The body without its one-time secrets: each named field (a dotted path) removed. */
export function withoutSecrets(body: unknown, paths: readonly string[]): unknown {
  if (body === null || typeof body !== "object") return body;
  const copy: unknown = structuredClone(body);
  for (const path of paths) {
    const parts = path.split(".");
    const last = parts.pop();
    let holder: unknown = copy;
    for (const part of parts) {
      holder = holder !== null && typeof holder === "object" ? Reflect.get(holder, part) : undefined;
    }
    if (last && holder !== null && typeof holder === "object") Reflect.deleteProperty(holder, last);
  }
  return copy;
}
