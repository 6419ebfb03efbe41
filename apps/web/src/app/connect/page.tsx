import { CopyButton } from "@/components/copy-button";
import { config } from "@/env";
import { apiKeySnippets, oauthSnippets, type Snippet } from "@/lib/mcp-config";

export const dynamic = "force-dynamic";
export const metadata = { title: "Connect an agent" };

function Snippets({ items }: { items: Snippet[] }) {
  return (
    <div className="grid gap-4">
      {items.map((snippet) => (
        <div
          key={snippet.client}
          className="rounded border border-slate-200 bg-white p-3 dark:border-slate-800 dark:bg-slate-900"
        >
          <div className="mb-2 flex items-center justify-between gap-2 text-sm">
            <span>
              <span className="font-medium">{snippet.client}</span>{" "}
              <span className="text-slate-500">· {snippet.where}</span>
            </span>
            <CopyButton value={snippet.text} />
          </div>
          <pre className="overflow-x-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-950">
            <code>{snippet.text}</code>
          </pre>
          {snippet.note ? (
            <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">{snippet.note}</p>
          ) : null}
        </div>
      ))}
    </div>
  );
}

export default function ConnectPage() {
  const mcpUrl = config().mcpUrl;
  return (
    <div className="grid gap-8">
      <div>
        <h1 className="text-2xl font-semibold">Connect an agent</h1>
        <p className="mt-2 text-slate-600 dark:text-slate-400">
          Agents work through the MCP server at <code>{mcpUrl}</code>. Two routes: an agent API key (register
          the agent on the Agents page and paste its <code>tf_…</code> key below), or OAuth, where the client
          signs a person in through the SSO and acts as that person.
        </p>
      </div>
      <section>
        <h2 className="mb-3 text-xl font-semibold">With an agent API key</h2>
        <Snippets items={apiKeySnippets(mcpUrl)} />
      </section>
      <section>
        <h2 className="mb-3 text-xl font-semibold">With OAuth (sign in as yourself)</h2>
        <Snippets items={oauthSnippets(mcpUrl)} />
      </section>
    </div>
  );
}
