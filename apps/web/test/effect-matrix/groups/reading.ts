// Reading a project and seeing a person: every read path driven as its real client drives it (REST,
// the MCP SDK client's tools and resource, the API reads each dashboard page makes with the session's
// token), over one set of data made once. A read "happened" when the answer shows the data.
import type {
  AuditPage,
  Comment,
  Project,
  ProjectInsights,
  Task,
  TaskChainLink,
  TaskDetail,
  TaskPage,
  Worker,
} from "@taskflow/contracts";
import type { EffectName, EffectPath } from "@taskflow/core";
import { type ApiClient, createApiClient } from "../../../src/lib/api-client.ts";
import { type Driver, driversFor, type Group, type Variant } from "../support/matrix.ts";
import { sight } from "../support/rule.ts";
import { type Caller, type Subject, subjectMarker, type World } from "../support/world.ts";
import { tool } from "./workflow.ts";

/** What the reads look for: a task with a subtask and a comment, made through the API (so audited). */
export interface ReadScene {
  taskId: string;
  title: string;
  subtaskId: string;
  comment: string;
}

const scenes = new WeakMap<World, Promise<ReadScene>>();

/** The data every read looks at, made once per world by the project's owner. */
function readScene(w: World): Promise<ReadScene> {
  let scene = scenes.get(w);
  if (!scene) {
    scene = (async () => {
      const token = w.owner.rest;
      const title = "Read me";
      const task = await w.api.call<Task>("POST", `/api/projects/${w.project.id}/tasks`, {
        token,
        body: { title },
      });
      const subtask = await w.api.call<Task>("POST", `/api/tasks/${task.body.id}/subtasks`, {
        token,
        body: { title: "A part of it" },
      });
      const comment = "Remember the milk";
      await w.api.call("POST", `/api/tasks/${task.body.id}/comments`, { token, body: { body: comment } });
      return { taskId: task.body.id, title, subtaskId: subtask.body.id, comment };
    })();
    scenes.set(w, scene);
  }
  return scene;
}

/** GET with the caller's REST credential; the body when 200, else undefined. */
async function get<T>(w: World, caller: Caller, path: string): Promise<T | undefined> {
  const answer = await w.api.call<T>("GET", path, { token: caller.rest });
  return answer.status === 200 ? answer.body : undefined;
}

/** A read through a tool of the caller's MCP client: its structured result, unless refused. */
const toolRead =
  <T>(
    name: string,
    args: (w: World, s: ReadScene) => Record<string, unknown>,
    saw: (data: T, w: World, s: ReadScene) => boolean,
  ): Driver<ReadScene> =>
  async (w, caller, scene) => {
    const result = (await tool<ReadScene>(name, args)(w, caller, scene)) as {
      isError: boolean;
      data: T;
    } | null;
    return result !== null && !result.isError && saw(result.data, w, scene);
  };

/** A dashboard page: the API reads it makes with the session's token; seen when they show the data. */
const page =
  (reads: (api: ApiClient, w: World, s: ReadScene) => Promise<boolean>): Driver<ReadScene> =>
  (w, caller, scene) =>
    reads(createApiClient(w.api.baseUrl, caller.dashboard ?? ""), w, scene);

async function data<T>(api: ApiClient, path: string): Promise<T | undefined> {
  const result = await api.call<T>(path);
  return result.ok ? result.data : undefined;
}

const listsProject = (projects: Project[] | undefined, w: World) =>
  projects?.some((p) => p.id === w.project.id) === true;
const listsTask = (tasks: Task[] | undefined, s: ReadScene) => tasks?.some((t) => t.id === s.taskId) === true;
/** A task's audit shows its creation; a project's shows the project's entries (refused key uses among them, newest first). */
const auditNames = (page: AuditPage | undefined, s: ReadScene) =>
  page?.items.some((e) => e.taskId === s.taskId) === true;
/** The project's insights count its tasks: the scene's task and subtask are on its last day. */
const countsTasks = (insights: ProjectInsights | undefined, w: World) =>
  insights?.projectId === w.project.id &&
  Object.entries(insights.cumulativeFlow.at(-1) ?? {}).some(([key, n]) => key !== "date" && Number(n) > 0);
const projectAudit = (page: AuditPage | undefined, w: World) =>
  page !== undefined && page.items.length > 0 && page.items.every((e) => e.projectId === w.project.id);

const readDrivers: Record<string, Driver<ReadScene>> = {
  "GET /api/projects/{id}": async (w, c) =>
    (await get<Project>(w, c, `/api/projects/${w.project.id}`))?.id === w.project.id,
  "GET /api/projects (lists it)": async (w, c) =>
    listsProject(await get<Project[]>(w, c, "/api/projects"), w),
  "GET /api/projects/{id}/tasks": async (w, c, s) =>
    listsTask((await get<TaskPage>(w, c, `/api/projects/${w.project.id}/tasks`))?.items, s),
  "GET /api/tasks/recent (lists its task)": async (w, c, s) =>
    listsTask(await get<Task[]>(w, c, "/api/tasks/recent?limit=100"), s),
  "GET /api/tasks/{id}": async (w, c, s) =>
    (await get<TaskDetail>(w, c, `/api/tasks/${s.taskId}`))?.title === s.title,
  "GET /api/tasks/{id}/subtasks": async (w, c, s) =>
    (await get<Task[]>(w, c, `/api/tasks/${s.taskId}/subtasks`))?.some((t) => t.id === s.subtaskId) === true,
  "GET /api/tasks/{id}/chain": async (w, c, s) =>
    (await get<{ chain: TaskChainLink[] }>(w, c, `/api/tasks/${s.subtaskId}/chain`))?.chain.some(
      (l) => l.title === s.title,
    ) === true,
  "GET /api/tasks/{id}/comments": async (w, c, s) =>
    (await get<{ items: Comment[] }>(w, c, `/api/tasks/${s.taskId}/comments`))?.items.some(
      (m) => m.body === s.comment,
    ) === true,
  "GET /api/projects/{id}/members": async (w, c) =>
    (await get<{ worker: { id: string } }[]>(w, c, `/api/projects/${w.project.id}/members`))?.some(
      (m) => m.worker.id === w.owner.workerId,
    ) === true,
  "GET /api/projects/{id}/audit": async (w, c) =>
    projectAudit(await get<AuditPage>(w, c, `/api/projects/${w.project.id}/audit`), w),
  "GET /api/tasks/{id}/audit": async (w, c, s) =>
    auditNames(await get<AuditPage>(w, c, `/api/tasks/${s.taskId}/audit`), s),
  "GET /api/projects/{id}/insights": async (w, c) =>
    countsTasks(await get<ProjectInsights>(w, c, `/api/projects/${w.project.id}/insights`), w),
  "taskflow_list_projects (lists it)": toolRead<{ projects: Project[] }>(
    "taskflow_list_projects",
    () => ({}),
    (d, w) => listsProject(d.projects, w),
  ),
  taskflow_list_tasks: toolRead<TaskPage>(
    "taskflow_list_tasks",
    (w) => ({ projectId: w.project.id }),
    (d, _, s) => listsTask(d.items, s),
  ),
  taskflow_get_task: toolRead<{ task: TaskDetail }>(
    "taskflow_get_task",
    (_, s) => ({ taskId: s.taskId }),
    (d, _, s) => d.task.title === s.title,
  ),
  taskflow_task_chain: toolRead<{ chain: TaskChainLink[] }>(
    "taskflow_task_chain",
    (_, s) => ({ taskId: s.subtaskId }),
    (d, _, s) => d.chain.some((l) => l.title === s.title),
  ),
  taskflow_task_audit: toolRead<AuditPage>(
    "taskflow_task_audit",
    (_, s) => ({ taskId: s.taskId }),
    (d, _, s) => auditNames(d, s),
  ),
  taskflow_project_audit: toolRead<AuditPage>(
    "taskflow_project_audit",
    (w) => ({ projectId: w.project.id }),
    (d, w) => projectAudit(d, w),
  ),
  "resources/read taskflow://tasks/{id}": async (w, caller, s) => {
    const client = await w.mcpClient(caller);
    if (!client) return false;
    const read = await client.client.readResource({ uri: `taskflow://tasks/${s.taskId}` });
    const [content] = read.contents;
    return (
      content !== undefined && "text" in content && (JSON.parse(content.text) as TaskDetail).title === s.title
    );
  },
  // The dashboard's pages (src/app/**/page.tsx): the reads each needs to show, with the session's token.
  "home (/)": page(
    async (api, w) =>
      (await data<Worker>(api, "/api/workers/me")) !== undefined &&
      listsProject(await data(api, "/api/projects"), w),
  ),
  "projects page (/projects)": page(async (api, w) => listsProject(await data(api, "/api/projects"), w)),
  "board (/projects/{id})": page(
    async (api, w, s) =>
      (await data<Project>(api, `/api/projects/${w.project.id}`)) !== undefined &&
      listsTask(
        (
          await data<TaskPage>(
            api,
            `/api/projects/${w.project.id}/tasks?parentId=none&limit=100&sort=priority`,
          )
        )?.items,
        s,
      ),
  ),
  "tasks list (/projects/{id}/tasks)": page(
    async (api, w, s) =>
      (await data<Project>(api, `/api/projects/${w.project.id}`)) !== undefined &&
      listsTask((await data<TaskPage>(api, `/api/projects/${w.project.id}/tasks`))?.items, s),
  ),
  "activity (/projects/{id}/activity)": page(
    async (api, w) =>
      (await data<Project>(api, `/api/projects/${w.project.id}`)) !== undefined &&
      projectAudit(await data<AuditPage>(api, `/api/projects/${w.project.id}/audit?limit=50`), w),
  ),
  "insights (/projects/{id}/insights)": page(
    async (api, w) =>
      (await data<Project>(api, `/api/projects/${w.project.id}`)) !== undefined &&
      countsTasks(await data<ProjectInsights>(api, `/api/projects/${w.project.id}/insights`), w),
  ),
  "task page (/tasks/{id})": page(async (api, _, s) => {
    const task = await data<TaskDetail>(api, `/api/tasks/${s.taskId}`);
    return (
      task?.title === s.title && (await data<Project>(api, `/api/projects/${task.projectId}`)) !== undefined
    );
  }),
};

/**
 * Seeing a person: which of the watched workers an answer shows, and whether with their email address.
 * `candidates` are those the path can show at all (a search only those it matches, /me only the caller).
 */
interface PeopleRead {
  workers: Worker[];
}

const watch = (w: World, caller: Caller): Subject[] => [
  ...w.subjects,
  { label: "self", workerId: caller.workerId, kind: caller.kind, email: null },
];

/** The candidates a path can show: everyone watched, only those a search matches, only the caller, or only the project's. */
type Candidates = "all" | "matching" | "self" | "matching members";
const candidatesOf: Record<string, Candidates> = {
  "GET /api/workers": "all",
  "GET /api/workers/me": "self",
  "GET /api/members/search?q=": "matching",
  "GET /api/members/search?q=&projectId=": "matching members",
  "taskflow_find_workers {q}": "matching",
  "taskflow_find_workers {q, projectId}": "matching members",
  "project settings: people to add (/projects/{id}/settings)": "all",
  "names of actors (home, activity, task and agent pages)": "all",
  "home: who am I (/)": "self",
};

const asPeople = (workers: Worker[] | undefined): PeopleRead | undefined =>
  workers ? { workers } : undefined;

const peopleDrivers: Record<string, Driver<ReadScene>> = {
  "GET /api/workers": async (w, c) => asPeople(await get<Worker[]>(w, c, "/api/workers")),
  "GET /api/workers/me": async (w, c) => {
    const me = await get<Worker>(w, c, "/api/workers/me");
    return asPeople(me ? [me] : undefined);
  },
  "GET /api/members/search?q=": async (w, c) =>
    asPeople(await get<Worker[]>(w, c, `/api/members/search?q=${subjectMarker}`)),
  "GET /api/members/search?q=&projectId=": async (w, c) =>
    asPeople(await get<Worker[]>(w, c, `/api/members/search?q=${subjectMarker}&projectId=${w.project.id}`)),
  "taskflow_find_workers {q}": async (w, c, s) => {
    const result = (await tool<ReadScene>("taskflow_find_workers", () => ({ q: subjectMarker }))(
      w,
      c,
      s,
    )) as {
      isError: boolean;
      data: PeopleRead;
    } | null;
    return result && !result.isError ? result.data : undefined;
  },
  "taskflow_find_workers {q, projectId}": async (w, c, s) => {
    const find = tool<ReadScene>("taskflow_find_workers", (world) => ({
      q: subjectMarker,
      projectId: world.project.id,
    }));
    const result = (await find(w, c, s)) as { isError: boolean; data: PeopleRead } | null;
    return result && !result.isError ? result.data : undefined;
  },
  // The dashboard's reads of people, with the session's token (the settings page shows whom to add only
  // once it has read the project).
  "project settings: people to add (/projects/{id}/settings)": async (w, c) => {
    const api = createApiClient(w.api.baseUrl, c.dashboard ?? "");
    if ((await data<Project>(api, `/api/projects/${w.project.id}`)) === undefined) return undefined;
    return asPeople(await data<Worker[]>(api, "/api/workers"));
  },
  "names of actors (home, activity, task and agent pages)": async (w, c) =>
    asPeople(
      await data<Worker[]>(
        createApiClient(w.api.baseUrl, c.dashboard ?? ""),
        "/api/workers?includeDeleted=true",
      ),
    ),
  "home: who am I (/)": async (w, c) => {
    const me = await data<Worker>(createApiClient(w.api.baseUrl, c.dashboard ?? ""), "/api/workers/me");
    return asPeople(me ? [me] : undefined);
  },
};

/** What an answer shows of the watched workers, in words. */
function shown(w: World, caller: Caller, read: PeopleRead): string {
  const seen = watch(w, caller).flatMap((subject) => {
    const worker = read.workers.find((x) => x.id === subject.workerId);
    if (!worker) return [];
    const email =
      subject.label === "self"
        ? worker.email !== null
        : worker.email !== null && worker.email === subject.email;
    return [`${subject.label}${email ? " (email)" : ""}`];
  });
  return seen.length === 0 ? "sees nobody" : `sees ${seen.sort().join(", ")}`;
}

/** What the rule says the path shows this caller. */
function expectedSight(w: World, caller: Caller, candidates: Candidates): string {
  const seen = watch(w, caller).flatMap((subject) => {
    if (candidates === "self" && subject.label !== "self") return [];
    if (candidates !== "self" && candidates !== "all" && subject.label === "self") return [];
    if (candidates === "matching members" && w.membershipRole(subject.workerId, w.project.id) === null)
      return [];
    // The caller as a subject: a person sees their own address.
    const as: Subject =
      subject.label === "self" ? { ...subject, email: caller.kind === "person" ? "own" : null } : subject;
    const sees = sight(w, caller, as);
    return sees === "hidden" ? [] : [`${subject.label}${sees === "seen with email" ? " (email)" : ""}`];
  });
  return seen.length === 0 ? "sees nobody" : `sees ${seen.sort().join(", ")}`;
}

const readVariant: Variant<ReadScene> = {
  label: "a task with a subtask and a comment",
  scene: (w) => readScene(w),
  outcome: (_, __, ___, answer) => (answer === true ? "happened" : "refused"),
};

const peopleVariant = (path: EffectPath): Variant<ReadScene> => ({
  label: "two people and two agents, some sharing the project",
  scene: (w) => readScene(w),
  outcome: (w, _, caller, answer) => (answer ? shown(w, caller, answer as PeopleRead) : "refused"),
  expectedWhenHappened: (w, caller) => expectedSight(w, caller, candidatesOf[path.path] ?? "all"),
});

const readingEffects = ["read a project", "see a person"] as const satisfies readonly EffectName[];

export const readingGroup: Group<ReadScene> = {
  effects: readingEffects,
  drivers: driversFor({ ...readDrivers, ...peopleDrivers }, readingEffects),
  variants: (effect, path) => (effect.name === "see a person" ? [peopleVariant(path)] : [readVariant]),
};

export const readingDrivers = { ...readDrivers, ...peopleDrivers };
