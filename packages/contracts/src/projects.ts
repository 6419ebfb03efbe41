import { z } from "@hono/zod-openapi";
import { Id, requiredText, Timestamp, text } from "./common.ts";
import { WorkerSummary } from "./workers.ts";

export const ProjectRole = z.enum(["owner", "admin", "member", "viewer"]).openapi("ProjectRole");
export type ProjectRole = z.infer<typeof ProjectRole>;

export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "a slug is lowercase letters and digits separated by single '-'");

export const Project = z
  .object({
    id: Id,
    slug: z.string(),
    name: z.string(),
    description: z.string(),
    ownerId: Id,
    isDefault: z.boolean(),
    role: ProjectRole.openapi({ description: "The caller's role in this project" }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Project");
export type Project = z.infer<typeof Project>;

export const ProjectCreate = z
  .strictObject({
    name: requiredText(200),
    slug: Slug.optional().openapi({
      description: "Unique in the organization; derived from the name when left out",
    }),
    description: text(5000).default(""),
  })
  .openapi("ProjectCreate");
export type ProjectCreate = z.infer<typeof ProjectCreate>;

export const ProjectUpdate = z
  .strictObject({
    name: requiredText(200).optional(),
    slug: Slug.optional(),
    description: text(5000).optional(),
    ownerId: Id.optional().openapi({ description: "Hand the project to another member (owners only)" }),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "give at least one field to change" })
  .openapi("ProjectUpdate", { minProperties: 1 });
export type ProjectUpdate = z.infer<typeof ProjectUpdate>;

export const Member = z
  .object({ projectId: Id, role: ProjectRole, worker: WorkerSummary, createdAt: Timestamp })
  .openapi("Member");
export type Member = z.infer<typeof Member>;

export const MemberAdd = z
  .strictObject({ workerId: Id, role: ProjectRole.default("member") })
  .openapi("MemberAdd");
export type MemberAdd = z.infer<typeof MemberAdd>;

export const MemberUpdate = z.strictObject({ role: ProjectRole }).openapi("MemberUpdate");
export type MemberUpdate = z.infer<typeof MemberUpdate>;
