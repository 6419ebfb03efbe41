// Reads values.yaml with its `# --` comments and derives from it the two files that must never drift from it:
// values.schema.json (types of the defaults + the overrides below, additionalProperties false everywhere except
// Kubernetes pass-through objects) and the values table of README.md. `node helm/taskflow/tests/generate.ts`
// rewrites both; values-docs.test.ts fails when either is stale.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

export const chartDir = join(dirname(fileURLToPath(import.meta.url)), "..");

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Schema = { [key: string]: unknown };

/** Kubernetes objects passed through verbatim (checked by the API server and by the render tests, not here). */
const passThrough =
  /^(global\.(podSecurityContext|containerSecurityContext)|utilityResources|networkPolicy\.ingressController(Namespace|Pod)Selector|serviceAccount\.annotations|[a-z]+\.(resources|postgresql\.resources|podAnnotations|nodeSelector|affinity|tolerations|ingress\.annotations))$/;

const port = { type: "integer", minimum: 1, maximum: 65535 };
const envValue = { type: ["string", "number", "boolean"] };
/** Refinements of what the defaults' types say, by path (`*` = any one segment). */
const overrides: Array<[RegExp, Schema]> = [
  [/^global\.environment$/, { type: "string", enum: ["development", "production"] }],
  [/^global\.namespace$/, { type: "string", pattern: "^([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)?$" }],
  [
    /^global\.clusterDomain$/,
    { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$" },
  ],
  [/^global\.logLevel$/, { type: "string", enum: ["error", "warn", "info", "debug"] }],
  [/^global\.publicUrls\.[a-z]+$/, { type: "string", pattern: "^https?://[^\\s]+$" }],
  [/^global\.imagePullSecrets$/, { type: "array", items: { type: "string", minLength: 1 } }],
  [/^global\.dashboardClient\.secret$/, envValue],
  [/^[a-z]+\.replicaCount$/, { type: "integer", minimum: 0 }],
  [/^web\.shutdownDelaySeconds$/, { type: "integer", minimum: 0, maximum: 25 }],
  [/^[a-z]+\.name$/, { type: "string", pattern: "^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$" }],
  [/^[a-z]+\.postgresql\.name$/, { type: "string", pattern: "^[a-z0-9]([-a-z0-9]{0,50}[a-z0-9])?$" }],
  [/^[a-z]+\.service\.(port|targetPort)$/, port],
  [/^[a-z]+\.database\.port$/, port],
  [/^[a-zA-Z]+\.(image\.)?pullPolicy$/, { type: "string", enum: ["Always", "IfNotPresent", "Never"] }],
  [/^[a-z]+\.image\.digest$/, { type: "string", pattern: "^(sha256:[a-f0-9]{64})?$" }],
  [/^[a-z]+\.image\.repository$/, { type: "string", minLength: 1 }],
  [/^[a-z]+\.env\.[A-Z_]+$/, envValue],
  [/^[a-z]+\.postgresql\.password$/, envValue],
  [/^[a-z]+\.smtp\.password$/, envValue],
  [/^[a-z]+\.smtp\.port$/, { type: ["string", "integer"] }],
  [/^[a-z]+\.(autoscaling\.(minReplicas|maxReplicas)|pdb\.minAvailable)$/, { type: "integer", minimum: 1 }],
  [/^[a-z]+\.autoscaling\.targetCPUUtilizationPercentage$/, { type: "integer", minimum: 1, maximum: 100 }],
  [/^[a-z]+\.probes\.[a-zA-Z]+$/, { type: "integer", minimum: 1 }],
  [
    /^[a-z]+\.postgresql\.persistence\.size$/,
    { type: "string", pattern: "^[0-9]+(\\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|k|M|G|T|P)?$" },
  ],
  [/^global\.tmpSizeLimit$/, { type: "string", pattern: "^[0-9]+(Ki|Mi|Gi)$" }],
];

export interface ValueDoc {
  path: string;
  description: string;
  value: Json;
}

/** `# --` comments by dotted key path (line based: keys are `name:` at two-space indentation steps). */
export function readComments(text: string): Map<string, string> {
  const comments = new Map<string, string>();
  const stack: string[] = [];
  let pending: string[] | null = null;
  for (const line of text.split("\n")) {
    const comment = /^(\s*)#(.*)$/.exec(line);
    if (comment) {
      const body = comment[2] ?? "";
      if (body.startsWith(" -- ")) pending = [body.slice(4).trim()];
      else if (pending) pending.push(body.trim());
      continue;
    }
    const key = /^(\s*)([A-Za-z0-9_.-]+):/.exec(line);
    if (!key) {
      if (line.trim() === "") pending = null;
      continue;
    }
    const depth = (key[1] ?? "").length / 2;
    stack.length = depth;
    stack.push(key[2] ?? "");
    if (pending) comments.set(stack.join("."), pending.join(" "));
    pending = null;
  }
  return comments;
}

export function loadValues(): { values: Record<string, Json>; text: string } {
  const text = readFileSync(join(chartDir, "values.yaml"), "utf8");
  return { values: parse(text) as Record<string, Json>, text };
}

/** Every key path of values.yaml (not descending into pass-through objects), with its comment. */
export function documentedValues(): { docs: ValueDoc[]; undocumented: string[] } {
  const { values, text } = loadValues();
  const comments = readComments(text);
  const docs: ValueDoc[] = [];
  const undocumented: string[] = [];
  const walk = (obj: Record<string, Json>, prefix: string) => {
    for (const [key, value] of Object.entries(obj)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const description = comments.get(path);
      if (description === undefined) undocumented.push(path);
      docs.push({ path, description: description ?? "", value });
      if (isObject(value) && !passThrough.test(path)) walk(value, path);
    }
  };
  walk(values, "");
  return { docs, undocumented };
}

function isObject(v: Json): v is { [key: string]: Json } {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function typeOf(v: Json): Schema {
  if (typeof v === "string") return { type: "string" };
  if (typeof v === "boolean") return { type: "boolean" };
  if (typeof v === "number") return Number.isInteger(v) ? { type: "integer" } : { type: "number" };
  if (Array.isArray(v)) return { type: "array" };
  if (isObject(v)) return { type: "object" };
  return {};
}

export function buildSchema(): Schema {
  const { values } = loadValues();
  const { docs } = documentedValues();
  const descriptions = new Map(docs.map((d) => [d.path, d.description]));
  const node = (value: Json, path: string): Schema => {
    const description = descriptions.get(path);
    const override = overrides.find(([re]) => re.test(path))?.[1];
    let schema: Schema;
    if (override) schema = { ...override };
    else if (isObject(value) && !passThrough.test(path)) {
      schema = {
        type: "object",
        additionalProperties: false,
        properties: Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, node(v, path ? `${path}.${k}` : k)]),
        ),
      };
    } else schema = typeOf(value);
    return description ? { description, ...schema } : schema;
  };
  return {
    $schema: "http://json-schema.org/draft-07/schema#",
    title: "TaskFlow chart values",
    ...node(values, ""),
  };
}

export function renderSchema(): string {
  return `${JSON.stringify(buildSchema(), null, 2)}\n`;
}

const start = "<!-- values:start (generated by `node helm/taskflow/tests/generate.ts`; do not edit) -->";
const end = "<!-- values:end -->";

export function renderValuesTable(): string {
  const { docs } = documentedValues();
  const esc = (s: string) => s.replaceAll("|", "\\|");
  const show = (v: Json) => `\`${esc(JSON.stringify(v))}\``;
  const rows = docs.map((d) => {
    const type = Array.isArray(d.value) ? "list" : isObject(d.value) ? "object" : typeof d.value;
    // Objects whose keys are listed on their own rows show no default; pass-through objects show theirs.
    const value =
      isObject(d.value) && Object.keys(d.value).length > 0 && !passThrough.test(d.path) ? "" : show(d.value);
    return `| \`${d.path}\` | ${type} | ${value} | ${esc(d.description)} |`;
  });
  return [start, "| Key | Type | Default | Description |", "|---|---|---|---|", ...rows, end].join("\n");
}

/** README.md with its values table replaced by the freshly rendered one. */
export function readmeWithTable(readme: string): string {
  const a = readme.indexOf(start);
  const b = readme.indexOf(end);
  if (a < 0 || b < 0) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return readme.slice(0, a) + renderValuesTable() + readme.slice(b + end.length);
}
