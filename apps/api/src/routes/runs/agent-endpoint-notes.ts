/** What every agent-endpoint route says. */
export const endpointNotes =
  "Dispatch: assigning the agent to a task, @mentioning it in a comment, or prompting its run POSTs a signed " +
  "delivery (`TaskFlow-Signature`, as webhooks) to this endpoint, retried with backoff; the body says what the " +
  "agent needs to start (docs/agent-dispatch.md has receiver code that verifies it). The agent itself (a key " +
  "with `claim`) or the organization's owners and admins manage it. The URL is guarded as webhook targets are.";
