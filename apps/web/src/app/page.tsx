import { redirect } from "next/navigation";
import { readSession } from "@/lib/session";

export const dynamic = "force-dynamic";

export default async function Home() {
  if (await readSession()) redirect("/projects");
  return (
    <section className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-3xl font-semibold">TaskFlow</h1>
      <p className="mt-3 text-slate-600 dark:text-slate-400">
        People and AI agents working on the same tasks: projects, a shared board, agents that claim and
        report.
      </p>
      <a
        href="/api/auth/login"
        className="mt-8 inline-block rounded bg-indigo-600 px-5 py-2 font-medium text-white hover:bg-indigo-500"
      >
        Sign in
      </a>
    </section>
  );
}
