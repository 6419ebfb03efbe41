import type { Task } from "@taskflow/contracts";
import { describe, expect, it } from "vitest";
import { buildTree, loadDescendants, treeCounts } from "../src/lib/task-tree.ts";

const t = (id: string, parentId: string | null, status: Task["status"] = "pending") => ({
  id,
  parentId,
  status,
});

describe("subtasks as a tree", () => {
  it("nests any depth under the root, in the given order, leaving others out", () => {
    const tasks = [t("c", "b"), t("a", "root"), t("b", "root", "completed"), t("x", "other"), t("d", "a")];
    const tree = buildTree("root", tasks);
    expect(tree.map((n) => n.task.id)).toEqual(["a", "b"]);
    expect(tree[0]?.children.map((n) => n.task.id)).toEqual(["d"]);
    expect(tree[1]?.children[0]?.task.id).toBe("c");
    expect(treeCounts(tree)).toEqual({ total: 4, done: 1 });
  });

  it("survives a cycle in bad data", () => {
    const tree = buildTree("root", [t("a", "root"), t("b", "a"), t("a", "b")]);
    expect(treeCounts(tree).total).toBe(2);
  });

  it("loads descendants level by level and stops at the cap", async () => {
    const children: Record<string, string[]> = { a: ["a1", "a2"], a1: ["a11"], b: [] };
    const asTask = (id: string, parentId: string) => ({ id, parentId }) as Task;
    const calls: string[] = [];
    const load = async (id: string) => {
      calls.push(id);
      return (children[id] ?? []).map((c) => asTask(c, id));
    };
    const all = await loadDescendants([asTask("a", "root"), asTask("b", "root")], load);
    expect(all.tasks.map((x) => x.id).sort()).toEqual(["a", "a1", "a11", "a2", "b"]);
    expect(all.truncated).toBe(false);
    expect(calls.sort()).toEqual(["a", "a1", "a11", "a2", "b"]);
    const capped = await loadDescendants([asTask("a", "root"), asTask("b", "root")], load, 3);
    expect(capped.tasks).toHaveLength(3);
    expect(capped.truncated).toBe(true);
  });
});
