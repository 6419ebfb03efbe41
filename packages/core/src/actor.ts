import type { ActorType, Channel } from "./db/schema/audit.ts";

export type OrgRole = "owner" | "admin" | "member";

/** Who is acting, resolved by a transport from a verified token or agent key. */
export interface Actor {
  tenantId: string;
  workerId: string;
  type: Exclude<ActorType, "system">;
  /** The caller's role in the organization (humans, from the token); agents have none. */
  orgRole: OrgRole | null;
  channel: Exclude<Channel, "system">;
  /** The agent key used, when the actor is an agent. */
  keyId?: string;
  /**
   * What that key may be used for: its projects (null: every project the agent is a member of)
   * and actions (read, write_tasks, claim, comment, manage). Absent for people.
   */
  keyScope?: { projectIds: string[] | null; actions: string[] };
  /**
   * The scopes of the person's token (`taskflow:read|write|manage`, authorization/token-scopes.ts): an SSO
   * access token's `scope`, or a personal access token's. Null for agent keys, whose `keyScope` decides.
   */
  scopes: readonly string[] | null;
  /** The personal access token used, when a person calls with one (audited with channel `pat`). */
  personalTokenId?: string;
}

/** The system itself (lease expiry, recurrence) acting inside a tenant. */
export interface SystemActor {
  tenantId: string;
  type: "system";
}
