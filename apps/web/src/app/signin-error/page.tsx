import { signInErrorMessage } from "@/lib/signin-errors";

export const metadata = { title: "Sign-in failed" };

export default async function SignInError({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  return (
    <section className="mx-auto max-w-xl py-12">
      <h1 className="text-2xl font-semibold">Sign-in failed</h1>
      <p role="alert" className="mt-3 text-red-700 dark:text-red-400">
        {/* Our words for a known code, never text from the link (lib/signin-errors.ts). */}
        {signInErrorMessage(reason)}
      </p>
      <a href="/api/auth/login" className="mt-6 inline-block rounded bg-indigo-600 px-4 py-2 text-white">
        Sign in again
      </a>
    </section>
  );
}
