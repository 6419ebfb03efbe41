import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** A dispatch as the receiver hands it over. */
export interface ReceivedDispatch {
  id: string;
  event: string;
  reason: "assigned" | "mentioned" | "prompted";
  run: { id: string; state: string; origin: string; taskId: string; projectId: string };
  task: { id: string; title: string; description: string };
  by: { id: string; kind: string; handle: string } | null;
  prompt: { body: string; signal: string | null } | null;
  comment: { id: string; body: string } | null;
}

interface ReceiverModule {
  verifyDispatch(secret: string, header: string | undefined, rawBody: string, nowSeconds?: number): boolean;
  createDispatchReceiver(options: {
    secret: string;
    onDispatch: (dispatch: ReceivedDispatch) => void;
  }): Server;
}

/**
 * The receiver code docs/agent-dispatch.md ships, taken from the document itself (the block between its
 * receiver markers) and loaded as the module a reader would save: tests run exactly what people copy.
 */
export async function loadDocsReceiver(): Promise<ReceiverModule> {
  const doc = readFileSync(new URL("../../../../docs/agent-dispatch.md", import.meta.url), "utf8");
  const block = /<!-- receiver:start -->\s*```js\n([\s\S]*?)```\s*<!-- receiver:end -->/.exec(doc)?.[1];
  if (!block) throw new Error("docs/agent-dispatch.md has no receiver block");
  const file = join(mkdtempSync(join(tmpdir(), "taskflow-receiver-")), "dispatch-receiver.mjs");
  writeFileSync(file, block);
  return (await import(pathToFileURL(file).href)) as ReceiverModule;
}

/** The docs' receiver on a loopback port (`port` 0: any free one), collecting what it accepts. */
export async function startDocsReceiver(secret: string, port = 0) {
  const module = await loadDocsReceiver();
  const received: ReceivedDispatch[] = [];
  const waiters: (() => void)[] = [];
  const server = module.createDispatchReceiver({
    secret,
    onDispatch: (dispatch) => {
      received.push(dispatch);
      for (const wake of waiters.splice(0)) wake();
    },
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/taskflow`;
  return {
    url,
    received,
    module,
    /** Resolves once `count` dispatches were accepted (or rejects after `timeoutMs`). */
    async waitFor(count: number, timeoutMs = 15_000): Promise<ReceivedDispatch[]> {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`expected ${count} dispatches, got ${received.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      return received;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
