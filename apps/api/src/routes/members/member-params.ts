import { z } from "@hono/zod-openapi";

/** `/api/projects/{id}/members/{workerId}`: the project and the member's worker. */
export const MemberParams = z.object({
  id: z.uuid().openapi({ param: { name: "id", in: "path" }, description: "The project's id" }),
  workerId: z
    .uuid()
    .openapi({ param: { name: "workerId", in: "path" }, description: "The member's worker id" }),
});
