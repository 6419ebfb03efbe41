// Reads a Dockerfile into stages (FROM … AS name) with their instructions, continuation lines joined, so the
// image tests can check each stage's RUN commands, copies and CMD without a container engine.
import { readFileSync } from "node:fs";

export interface Instruction {
  op: string;
  args: string;
}
export type Stages = Map<string, Instruction[]>;

export function readDockerfile(path: string): Stages {
  const lines = readFileSync(path, "utf8").split("\n");
  const joined: string[] = [];
  let current = "";
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (!current && (line.trim().startsWith("#") || line.trim() === "")) continue;
    if (line.endsWith("\\")) {
      current += `${line.slice(0, -1)} `;
      continue;
    }
    joined.push((current + line).trim());
    current = "";
  }
  const stages: Stages = new Map();
  let stage: Instruction[] | null = null;
  for (const line of joined) {
    const match = /^(\S+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const op = (match[1] ?? "").toUpperCase();
    const args = match[2] ?? "";
    if (op === "FROM") {
      const name = /\sAS\s+(\S+)$/i.exec(args)?.[1] ?? `stage${stages.size}`;
      stage = [];
      stages.set(name, stage);
    }
    stage?.push({ op, args });
  }
  return stages;
}

export function runCommands(stages: Stages, stage: string): string[] {
  return (stages.get(stage) ?? []).filter((i) => i.op === "RUN").map((i) => i.args);
}

export function cmd(stages: Stages, stage: string): string[] {
  const found = (stages.get(stage) ?? []).filter((i) => i.op === "CMD").at(-1);
  if (!found) throw new Error(`stage ${stage} has no CMD`);
  return JSON.parse(found.args) as string[];
}

export function instructions(stages: Stages, stage: string, op: string): string[] {
  return (stages.get(stage) ?? []).filter((i) => i.op === op).map((i) => i.args);
}
