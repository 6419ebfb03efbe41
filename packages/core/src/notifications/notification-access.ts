import { and, eq, type SQL, sql } from "drizzle-orm";
import type { Actor } from "../actor.ts";
import { assertTokenScopeAllows, type PersonalEffect } from "../authorization/token-scopes.ts";
import { notifications } from "../db/schema/notifications.ts";
import { projectMembers } from "../db/schema/projects.ts";
import { forbidden } from "../errors.ts";

/**
 * Who may have an inbox at all: a person (signed in, or with a personal access token whose scope allows the
 * effect: `taskflow:read` to read it, `taskflow:write` to mark it read or choose mail). Agents have none:
 * they learn of work through their runs and dispatch.
 */
export function authorizeInbox(actor: Actor, effect: PersonalEffect): void {
  assertTokenScopeAllows(actor, effect);
  if (actor.type !== "human") {
    throw forbidden("agents have no inbox: an agent learns of its work through its runs");
  }
}

/**
 * The one rule for receiving a notification, on every path (the inbox, its count, marking read, the live
 * stream, the mail): it is the person's own, and they are a member of its project now. A person removed from
 * a project no longer sees its notifications anywhere (they come back if the person is added back); an
 * organization admin who is not a member does not receive a project's notifications either.
 * The recipient is a worker of one tenant, so the recipient alone scopes the tenant too.
 */
export function receivableBy(recipientId: string): SQL {
  return and(
    eq(notifications.recipientId, recipientId),
    sql`${notifications.projectId} in (${projectsOfMember(recipientId)})`,
  ) as SQL;
}

/** The projects a worker is a member of now: the membership half of receivableBy, for queries that group first. */
export function projectsOfMember(workerId: string): SQL {
  return sql`select ${projectMembers.projectId} from ${projectMembers} where ${projectMembers.workerId} = ${workerId}`;
}

/**
 * receivableBy for a query over many recipients (the mailer): the row's recipient is a member of its project now.
 */
export const recipientStillMember: SQL<boolean> = sql<boolean>`exists (select 1 from ${projectMembers} where ${projectMembers.projectId} = ${notifications.projectId} and ${projectMembers.workerId} = ${notifications.recipientId})`;

/**
 * The decision every path to a person's inbox makes (REST list, count and marking read; the live inbox when it
 * opens and again while it lives; the dashboard through them): a person whose token allows the effect
 * (authorizeInbox), and then only their notifications of projects they are a member of now (receivableBy).
 */
export function receivableNotifications(actor: Actor, effect: PersonalEffect): SQL {
  authorizeInbox(actor, effect);
  return receivableBy(actor.workerId);
}
