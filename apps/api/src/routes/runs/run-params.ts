import { z } from "@hono/zod-openapi";

/** `/api/runs/{id}/activities/{activityId}`: a run and one of its activities. */
export const ActivityParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The run's id" }),
  activityId: z
    .uuid()
    .openapi({ param: { name: "activityId", in: "path" }, description: "The activity's id" }),
});

/** What every run route says about who may do what. */
export const runNotes =
  "Reading a run is reading its task's project (viewers and up; a key's `read`, a token's `taskflow:read`). " +
  "A person's prompt needs `task.work` on the task (members and up); the rest of a run is its own agent's.";
