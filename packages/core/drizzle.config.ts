import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from the schema; they are committed and applied by `npm run migrate -w apps/api`.
// Never `drizzle-kit push` against a real database.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema/index.ts",
  out: "./src/db/migrations",
});
