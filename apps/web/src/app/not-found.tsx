import Link from "next/link";

export default function NotFound() {
  return (
    <section className="rounded border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900">
      <h1 className="font-semibold">Not found</h1>
      <p className="mt-2 text-sm">
        This page does not exist, or you may not see it: it belongs to a project you are not a member of, to
        another organization, or it is for the organization&apos;s owners and admins (agents, for one). Ask a
        project owner to add you, or{" "}
        <Link href="/organization" className="underline">
          check which organization you are in
        </Link>
        .
      </p>
      <Link href="/" className="mt-3 inline-block text-sm underline">
        Back home
      </Link>
    </section>
  );
}
