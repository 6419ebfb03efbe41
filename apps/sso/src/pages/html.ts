/** Minimal server-side HTML helpers: everything interpolated goes through escapeHtml. */
export function escapeHtml(value: unknown): string {
  return String(value ?? "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Marks a string as already-safe HTML. */
export interface Html {
  readonly html: string;
}

export function raw(html: string): Html {
  return { html };
}

/** Tagged template: interpolations are escaped unless they are Html (or arrays of Html). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0] ?? "";
  values.forEach((value, index) => {
    out += render(value) + (strings[index + 1] ?? "");
  });
  return { html: out };
}

function render(value: unknown): string {
  if (value === undefined || value === null || value === false) return "";
  if (Array.isArray(value)) return value.map(render).join("");
  if (typeof value === "object" && "html" in value && typeof (value as Html).html === "string") {
    return (value as Html).html;
  }
  return escapeHtml(value);
}

// The dashboard's look (apps/web: Tailwind's slate and indigo, the system font stack, light and dark), so
// signing in does not feel like leaving TaskFlow. Plain CSS: these pages ship no build step and no script.
const STYLE = `
:root { color-scheme: light dark; --accent: #4f46e5; --accent-hover: #6366f1; --danger: #b91c1c; --muted: #64748b;
  --border: #cbd5e1; --page: #f8fafc; --text: #0f172a; --bar: #ffffff; --bar-border: #e2e8f0; --field: #ffffff; --link: #4338ca; }
@media (prefers-color-scheme: dark) {
  :root { --danger: #f87171; --muted: #94a3b8; --border: #334155; --page: #020617; --text: #f1f5f9; --bar: #0f172a;
    --bar-border: #1e293b; --field: #0f172a; --link: #a5b4fc; }
}
* { box-sizing: border-box; }
body { margin: 0; font-family: ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; line-height: 1.5; background: var(--page); color: var(--text); }
header { background: var(--bar); border-bottom: 1px solid var(--bar-border); padding: .75rem 1.5rem; display: flex; justify-content: space-between; align-items: center; font-size: .875rem; }
header a { color: inherit; text-decoration: none; font-weight: 600; }
main a { color: var(--link); }
main { max-width: 34rem; margin: 2rem auto; padding: 0 1.5rem; }
main.wide { max-width: 56rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .75rem; }
form { display: grid; gap: .9rem; margin: 0 0 1rem; }
form.inline { display: inline; }
label { font-weight: 600; display: block; margin-bottom: .25rem; }
input, select { width: 100%; padding: .5rem .65rem; border: 1px solid var(--border); border-radius: .25rem; font: inherit; background: var(--field); color: var(--text); }
input[aria-invalid="true"] { border-color: var(--danger); }
button { padding: .4rem 1rem; border-radius: .25rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; font: inherit; font-size: .875rem; font-weight: 500; cursor: pointer; }
button:hover { background: var(--accent-hover); border-color: var(--accent-hover); }
button.secondary { background: transparent; color: var(--accent); }
button:focus-visible, a:focus-visible, input:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.error { color: var(--danger); font-size: .95rem; margin: .25rem 0 0; }
.notice { border: 1px solid var(--border); border-radius: .25rem; padding: .75rem 1rem; margin: 0 0 1rem; }
.notice.error { border-color: var(--danger); }
.muted { color: var(--muted); }
table { width: 100%; border-collapse: collapse; }
th, td { text-align: left; padding: .4rem .5rem; border-bottom: 1px solid var(--border); vertical-align: top; }
ul.scopes { padding-left: 1.25rem; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; }
`;

export function layout(options: { title: string; body: Html; wide?: boolean; signedIn?: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="/favicon.svg" type="image/svg+xml">
<title>${escapeHtml(options.title)} · TaskFlow</title>
<style>${STYLE}</style>
</head>
<body>
<header><a href="/account">TaskFlow</a>${
    options.signedIn
      ? `<form class="inline" method="post" action="/sign-out"><button class="secondary" type="submit">Sign out</button></form>`
      : ""
  }</header>
<main${options.wide ? ' class="wide"' : ""}>
${options.body.html}
</main>
</body>
</html>`;
}

/** A labelled input with its error tied to it through aria-describedby. */
export function field(options: {
  name: string;
  label: string;
  type?: string;
  value?: string;
  autocomplete?: string;
  error?: string;
  required?: boolean;
  hint?: string;
}): Html {
  const id = `field-${options.name}`;
  const described = [options.hint ? `${id}-hint` : "", options.error ? `${id}-error` : ""]
    .filter(Boolean)
    .join(" ");
  return html`<div>
<label for="${id}">${options.label}</label>
<input id="${id}" name="${options.name}" type="${options.type ?? "text"}"${
    options.value !== undefined ? raw(` value="${escapeHtml(options.value)}"`) : ""
  }${options.autocomplete ? raw(` autocomplete="${escapeHtml(options.autocomplete)}"`) : ""}${
    options.required === false ? "" : raw(" required")
  }${options.error ? raw(' aria-invalid="true"') : ""}${described ? raw(` aria-describedby="${described}"`) : ""}>
${options.hint ? html`<p class="muted" id="${id}-hint">${options.hint}</p>` : ""}
${options.error ? html`<p class="error" id="${id}-error">${options.error}</p>` : ""}
</div>`;
}

export function notice(message: string | undefined, kind: "info" | "error" = "info"): Html {
  if (!message) return raw("");
  return html`<div class="notice${kind === "error" ? " error" : ""}" role="${kind === "error" ? "alert" : "status"}">${message}</div>`;
}

export function hidden(name: string, value: string | undefined): Html {
  if (value === undefined) return raw("");
  return html`<input type="hidden" name="${name}" value="${value}">`;
}
