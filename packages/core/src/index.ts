export type { Actor, OrgRole, SystemActor } from "./actor.ts";
export { authenticateAgentKey, lastUsedResolutionMs } from "./agent-keys/authenticate-agent-key.ts";
export { defaultKeyLifetimeDays } from "./agent-keys/insert-agent-key.ts";
export { agentKeyPrefix, personalTokenPrefix } from "./agent-keys/key-material.ts";
export { listAgentKeys } from "./agent-keys/list-agent-keys.ts";
export { recordScopeDenial } from "./agent-keys/record-scope-denial.ts";
export { revokeAgentKey } from "./agent-keys/revoke-agent-key.ts";
export { rotateAgentKey } from "./agent-keys/rotate-agent-key.ts";
export { deleteAgent } from "./agents/delete-agent.ts";
export { getAgent } from "./agents/get-agent.ts";
export { listAgents } from "./agents/list-agents.ts";
export { registerAgent } from "./agents/register-agent.ts";
export { updateAgent } from "./agents/update-agent.ts";
export { listProjectAudit } from "./audit/list-project-audit.ts";
export { listTaskAudit } from "./audit/list-task-audit.ts";
export { recordAudit } from "./audit/record-audit.ts";
export {
  assertKeyAllows,
  defaultKeyActions,
  type KeyAction,
  keyActions,
  permissionKeyAction,
  type ScopeDenied,
  scopeDeniedOf,
} from "./authorization/key-scope.ts";
export {
  authorizeOrganizationEffect,
  organizationRules,
  orgRoleAllows,
} from "./authorization/organization-access.ts";
export {
  higherRole,
  orgRoleInProjects,
  type ProjectPermission,
  projectPermissions,
  roleAllows,
} from "./authorization/permissions.ts";
export { decideProjectAccess } from "./authorization/project-access.ts";
export {
  actionScopes,
  assertTokenScopeAllows,
  type InsufficientScope,
  insufficientScopeOf,
  isTaskflowScope,
  type OrganizationEffect,
  organizationEffects,
  type PersonalEffect,
  personalEffects,
  type ScopedAction,
  type TaskflowScope,
  taskflowScopes,
} from "./authorization/token-scopes.ts";
export { acknowledgeStop } from "./claims/acknowledge-stop.ts";
export { claimNextQuery } from "./claims/claim-next-statement.ts";
export { claimNextTask } from "./claims/claim-next-task.ts";
export { claimTask } from "./claims/claim-task.ts";
export { expireLeases } from "./claims/expire-leases.ts";
export { type Heartbeat, type HeartbeatAnswer, heartbeatTask } from "./claims/heartbeat-task.ts";
export { type ClaimOptions, defaultLeaseSeconds } from "./claims/lease.ts";
export { startLeaseSweeper } from "./claims/lease-sweeper.ts";
export { releaseTask } from "./claims/release-task.ts";
export { requestStop } from "./claims/request-stop.ts";
export { type ClientFailure, clientFailureOf } from "./client-failure.ts";
export { addComment } from "./comments/add-comment.ts";
export { listComments } from "./comments/list-comments.ts";
export { type MentionedWorker, mentionedMembers, parseMentions } from "./comments/mentions.ts";
export { isDatabaseUnavailable } from "./database-unavailable.ts";
export {
  migrationsFolder,
  migrationsLockId,
  schema,
  type TaskflowDb,
  type TaskflowExecutor,
  type TaskflowSchema,
  type TaskflowTx,
} from "./db/database.ts";
export {
  type DelegationOptions,
  defaultDelegationMaxDepth,
  delegationLinks,
} from "./delegation/delegation-depth.ts";
export { getTaskChain } from "./delegation/get-task-chain.ts";
export { addTaskDependency } from "./dependencies/add-task-dependency.ts";
export { findDependencyCycle } from "./dependencies/find-dependency-cycle.ts";
export { hasNoOpenDependencies, openDependencies } from "./dependencies/open-dependencies.ts";
export { removeTaskDependency } from "./dependencies/remove-task-dependency.ts";
export {
  type Effect,
  type EffectName,
  type EffectPath,
  effects,
  type ListedEffect,
  type Transport,
} from "./effects/effect-paths.ts";
export * from "./errors.ts";
export { announceAccessChange } from "./events/access-announcements.ts";
export { storedCredentialExpiresAt } from "./events/credential-expiry.ts";
export {
  type AccessEnd,
  type AccessEndReason,
  accessChangingActions,
  accessEndFor,
  authorizeProjectEvents,
  eventAccessRecheckMs,
} from "./events/event-access.ts";
export {
  eventsChannel,
  freshStreamReplay,
  freshStreamStart,
  latestProjectEventId,
  ProjectEventHub,
  type ProjectEventListener,
  projectEventsSince,
} from "./events/project-events.ts";
export { type ProjectFeedItem, type ProjectFeedOptions, projectFeed } from "./events/project-feed.ts";
export {
  claimIdempotencyKey,
  type IdempotencyClaim,
  idempotencyWindowMs,
  type RememberedAnswer,
  settleIdempotencyKey,
} from "./idempotency/idempotency-keys.ts";
export { getAgentInsights } from "./insights/agent-insights.ts";
export { insightStatements } from "./insights/insight-statements.ts";
export { getProjectInsights } from "./insights/project-insights.ts";
export { errorForLog } from "./log-safety.ts";
export { addMember } from "./members/add-member.ts";
export { changeMemberRole } from "./members/change-member-role.ts";
export { listMembers } from "./members/list-members.ts";
export { removeMember } from "./members/remove-member.ts";
export {
  overdueWindowMs,
  reminderLeadTimes,
  sendDueReminders,
} from "./notifications/due-reminders.ts";
export { announceInboxChange, inboxChannel } from "./notifications/inbox-announcements.ts";
export { type InboxFeedItem, type InboxFeedOptions, inboxFeed } from "./notifications/inbox-feed.ts";
export { InboxHub } from "./notifications/inbox-hub.ts";
export {
  type EmailMode,
  emailModes,
  type KindRule,
  type NotificationKind,
  notificationKinds,
  notificationRules,
} from "./notifications/kinds.ts";
export { listNotifications } from "./notifications/list-notifications.ts";
export {
  composeDigestMail,
  composeImmediateMail,
  type MailItem,
  type MailLinks,
  type OutgoingMail,
  unsubscribeUrl,
} from "./notifications/mail/compose-mail.ts";
export { digestDayOf, localDayAndHour } from "./notifications/mail/digest-day.ts";
export {
  deliverDigests,
  deliverImmediateMail,
  type MailDeliveryOptions,
  type MailReport,
  type SendMail,
} from "./notifications/mail/mail-delivery.ts";
export { checkUnsubscribeLink, unsubscribe } from "./notifications/mail/unsubscribe.ts";
export {
  readUnsubscribeToken,
  type UnsubscribeGrant,
  unsubscribeToken,
} from "./notifications/mail/unsubscribe-token.ts";
export { markAllNotificationsRead, markNotificationRead } from "./notifications/mark-read.ts";
export {
  authorizeInbox,
  projectsOfMember,
  receivableBy,
  receivableNotifications,
  recipientStillMember,
} from "./notifications/notification-access.ts";
export {
  NotificationScheduler,
  type NotificationSchedulerOptions,
  notificationLeaderLockId,
  type TickReport,
} from "./notifications/notification-scheduler.ts";
export {
  emailModesOf,
  getNotificationSettings,
  updateNotificationSettings,
} from "./notifications/notification-settings.ts";
export {
  type NotificationDraft,
  type NotificationRow,
  notificationBodyMax,
  notify,
} from "./notifications/notify.ts";
export { questionRecipients, reviewersOf } from "./notifications/recipients.ts";
export {
  notifyAssignee,
  notifyMentions,
  notifyStatusChange,
  notifyStopAcknowledged,
} from "./notifications/task-notifications.ts";
export { countUnread, unreadCount } from "./notifications/unread-count.ts";
export { authenticatePersonalToken } from "./personal-tokens/authenticate-personal-token.ts";
export { createPersonalToken, maxLivePersonalTokens } from "./personal-tokens/create-personal-token.ts";
export { listPersonalTokens } from "./personal-tokens/list-personal-tokens.ts";
export { revokePersonalToken } from "./personal-tokens/revoke-personal-token.ts";
export { revokePersonalTokensOfSubject } from "./personal-tokens/revoke-tokens-of-subject.ts";
export {
  revokeVoidedPersonalTokens,
  type SubjectRevokedCheck,
  startVoidedTokenSweeper,
} from "./personal-tokens/voided-token-sweeper.ts";
export { createProject } from "./projects/create-project.ts";
export { deleteProject } from "./projects/delete-project.ts";
export { getProject } from "./projects/get-project.ts";
export { listProjects } from "./projects/list-projects.ts";
export { updateProject } from "./projects/update-project.ts";
export {
  defaultRateLimitSyncMs,
  type RateLimitBucket,
  type RateLimitVerdict,
  SharedRateLimiter,
  type SharedRateLimiterOptions,
} from "./rate-limits/rate-limits.ts";
export * from "./runs/index.ts";
export { approveTask } from "./tasks/approve-task.ts";
export { assignTask } from "./tasks/assign-task.ts";
export { authorizeTransition } from "./tasks/authorize-transition.ts";
export { changeTaskStatus } from "./tasks/change-task-status.ts";
export { createSubtask } from "./tasks/create-subtask.ts";
export { createTask } from "./tasks/create-task.ts";
export { deleteTask } from "./tasks/delete-task.ts";
export { getTask } from "./tasks/get-task.ts";
export { listRecentTasks } from "./tasks/list-recent-tasks.ts";
export { listSubtasks } from "./tasks/list-subtasks.ts";
export { listTasks, taskListStatement } from "./tasks/list-tasks.ts";
export { nextDueDate } from "./tasks/next-due-date.ts";
export { rejectTask } from "./tasks/reject-task.ts";
export { allowedTransitions, taskTransitions } from "./tasks/task-transitions.ts";
export { updateTask } from "./tasks/update-task.ts";
export { updateTaskProgress } from "./tasks/update-task-progress.ts";
export { createWebhook } from "./webhooks/create-webhook.ts";
export { deleteWebhook } from "./webhooks/delete-webhook.ts";
export {
  WebhookDispatcher,
  type WebhookDispatcherOptions,
  webhookDispatcherDefaults,
  webhooksChannel,
} from "./webhooks/dispatcher.ts";
export { getWebhook } from "./webhooks/get-webhook.ts";
export { listWebhookDeliveries } from "./webhooks/list-webhook-deliveries.ts";
export { listWebhooks } from "./webhooks/list-webhooks.ts";
export { rotateWebhookSecret } from "./webhooks/rotate-webhook-secret.ts";
export { generateWebhookSecret, signWebhookPayload, verifyWebhookSignature } from "./webhooks/signature.ts";
export { assertWebhookTarget, blockedAddressReason, type TargetPolicy } from "./webhooks/target-guard.ts";
export { updateWebhook } from "./webhooks/update-webhook.ts";
export { getCurrentWorker } from "./workers/get-current-worker.ts";
export { listWorkers } from "./workers/list-workers.ts";
export { authorizePreferences, getPreferences, updatePreferences } from "./workers/preferences.ts";
export { renameEmailDerivedHandles } from "./workers/rename-email-handles.ts";
export { type HumanIdentity, resolveHumanActor } from "./workers/resolve-human-actor.ts";
export { searchWorkers } from "./workers/search-workers.ts";
export { toWorker, toWorkerSummary } from "./workers/to-worker.ts";
