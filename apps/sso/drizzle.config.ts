import { defineConfig } from "drizzle-kit";

// Generates SQL migrations from src/db/schema.ts; never used against a real database (no push).
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/db/schema.ts",
  out: "./src/db/migrations",
});
