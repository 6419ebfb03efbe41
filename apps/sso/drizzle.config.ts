import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from src/db/schema.ts (Better Auth's tables) and our own tables; never used
// against a real database (no push).
export default defineConfig({
  dialect: "postgresql",
  schema: ["./src/db/schema.ts", "./src/db/subject-revocations.ts"],
  out: "./src/db/migrations",
});
