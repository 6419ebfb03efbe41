// What `npm start` says while it builds the dashboard, the longest part of a first start: an estimate up front,
// then next build's own steps with the time spent so far, and a line now and then when the build is quiet, so a
// person can tell a slow build from a stuck one.

/** About this long on the 2-CPU machines we measured (2.5 to 4.5 minutes), when this machine has no build timed. */
const typicalSeconds = 180;
/** A line at least this often while next build prints nothing. */
const quietMs = 20_000;

export const clock = (seconds: number): string =>
  `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;

/** The estimate printed before the build starts: the last build here, or what such a build usually takes. */
export function buildEstimate(lastSeconds: number | undefined): string {
  if (lastSeconds) return `about ${clock(lastSeconds)} min (the last build here took that long)`;
  return `about ${clock(typicalSeconds)} min (2.5 to 4.5 on a 2-CPU machine)`;
}

/**
 * next build's lines worth showing: its steps ("Creating an optimized production build", "✓ Compiled
 * successfully", "Generating static pages (3/9)", …), not the route table it ends with.
 */
export function isProgressLine(line: string): boolean {
  const text = line.trim();
  if (text === "") return false;
  return !/^(Route \(|[┌├└│┬┼┴─]|[○ƒλ●◐]\s|\+ First Load JS|\(Static\)|\(Dynamic\)|\(SSG\)|ƒ Proxy)/u.test(
    text,
  );
}

export interface BuildProgress {
  /** One line of next build's output. */
  line(text: string): void;
  /** The build ended: no more quiet-time lines. */
  done(): void;
}

/** Prints the build's progress through `say`, each line with the time since `startedAt` (performance.now()). */
export function reportBuildProgress(
  say: (line: string) => void,
  startedAt = performance.now(),
): BuildProgress {
  const elapsed = () => clock((performance.now() - startedAt) / 1000);
  let lastSaid = performance.now();
  // The step next build is in ("Running TypeScript ..."), named again while it is quiet.
  let step = "starting next build";
  const tell = (text: string) => {
    lastSaid = performance.now();
    say(`      web-dashboard build ${elapsed()}  ${text}`);
  };
  const timer = setInterval(() => {
    if (performance.now() - lastSaid >= quietMs) tell(`… still building (${step})`);
  }, 1000);
  timer.unref();
  return {
    line: (text) => {
      if (!isProgressLine(text)) return;
      tell(text.trim());
      if (!text.trim().startsWith("✓")) step = text.trim().replace(/\s*\.{3}$/, "");
    },
    done: () => clearInterval(timer),
  };
}
