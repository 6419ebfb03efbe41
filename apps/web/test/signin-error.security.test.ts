import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import SignInError from "../src/app/signin-error/page.tsx";
import { signInErrorText, signInErrorUrl } from "../src/lib/signin-errors.ts";

/**
 * Red-team finding 9: /signin-error?reason=<any text> showed that text as the page's alert, so a
 * link to our own origin could say "Your session expired. Re-enter your password at https://evil.example".
 * The page now shows only our words, for a closed set of codes.
 */
async function page(reason: string | string[] | undefined): Promise<string> {
  const element = await SignInError({ searchParams: Promise.resolve({ reason } as { reason?: string }) });
  return renderToStaticMarkup(element);
}

describe("the sign-in error page", () => {
  it("never shows text from the link", async () => {
    const phishing = "Your session expired. Re-enter your password at https://evil.example";
    for (const reason of [phishing, [phishing, "expired"], "<b>x</b>", "toString", "__proto__", ""]) {
      const html = await page(reason);
      expect(html).not.toContain("evil.example");
      expect(html).not.toContain("Re-enter your password");
      expect(html).not.toContain("&lt;b&gt;");
      expect(html).toContain(signInErrorText.failed);
    }
  });

  it("says our words for each code the callback sends", async () => {
    for (const [code, text] of Object.entries(signInErrorText)) {
      const url = signInErrorUrl("https://dash.example.com", code as keyof typeof signInErrorText);
      expect(url.toString()).toBe(`https://dash.example.com/signin-error?reason=${code}`);
      expect(await page(url.searchParams.get("reason") ?? undefined)).toContain(
        text.replaceAll("'", "&#x27;"),
      );
    }
    expect(await page(undefined)).toContain(signInErrorText.failed);
  });
});
