import Link from "next/link";

const tabs = [
  { href: "", label: "Board" },
  { href: "/tasks", label: "List" },
  { href: "/activity", label: "Activity" },
  { href: "/insights", label: "Insights" },
  { href: "/settings", label: "Settings and members" },
] as const;

/** The project's title and its views; `current` marks the page the person is on. */
export function ProjectNav({
  project,
  current,
}: {
  project: { id: string; name: string };
  current: "" | "/tasks" | "/activity" | "/insights" | "/settings";
}) {
  return (
    <div className="grid gap-2">
      <Link href="/projects" className="text-sm text-slate-500 hover:underline">
        ← Projects
      </Link>
      <h1 className="text-2xl font-semibold">{project.name}</h1>
      <nav
        aria-label="Project"
        className="flex flex-wrap gap-1 border-b border-slate-200 text-sm dark:border-slate-800"
      >
        {tabs.map((tab) => (
          <Link
            key={tab.href}
            href={`/projects/${project.id}${tab.href}`}
            aria-current={tab.href === current ? "page" : undefined}
            className={`-mb-px border-b-2 px-3 py-1.5 ${
              tab.href === current
                ? "border-indigo-600 font-medium text-indigo-700 dark:text-indigo-300"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400 dark:hover:text-slate-100"
            }`}
          >
            {tab.label}
          </Link>
        ))}
      </nav>
    </div>
  );
}
