export interface BarRow {
  label: string;
  bars: { label: string; value: number; text: string; className: string }[];
}

const labelWidth = 150;
const width = 640;
const barHeight = 14;
const gap = 3;
const groupGap = 10;
/** Room for a group's label, on its own line above its bars. */
const header = 18;

/**
 * Labelled groups of horizontal bars on one scale (an agent's four counts; a duration's p50 and p90), each
 * bar with its value written at its end. An image to assistive technology; the table beside it has the numbers.
 */
export function BarRows({ label, rows }: { label: string; rows: BarRow[] }) {
  const max = Math.max(1, ...rows.flatMap((row) => row.bars.map((bar) => bar.value)));
  const room = width - labelWidth - 90;
  const groupHeight = (bars: number) => header + bars * (barHeight + gap) + groupGap;
  const height = rows.reduce((h, row) => h + groupHeight(row.bars.length), 0);
  let y = 0;
  return (
    <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={label} className="h-auto w-full">
      {rows.map((row) => {
        const top = y;
        y += groupHeight(row.bars.length);
        return (
          <g key={row.label}>
            <text x={0} y={top + 13} className="fill-current text-[13px] font-medium">
              {row.label}
            </text>
            {row.bars.map((bar, i) => {
              const barY = top + header + i * (barHeight + gap);
              const barWidth = Math.max(bar.value > 0 ? 2 : 0, (bar.value / max) * room);
              return (
                <g key={bar.label}>
                  <text
                    x={labelWidth - 6}
                    y={barY + barHeight - 3}
                    textAnchor="end"
                    className="fill-slate-500 text-[12px] dark:fill-slate-400"
                  >
                    {bar.label}
                  </text>
                  <rect
                    x={labelWidth}
                    y={barY}
                    width={barWidth}
                    height={barHeight}
                    rx={2}
                    className={bar.className}
                  />
                  <text
                    x={labelWidth + barWidth + 4}
                    y={barY + barHeight - 3}
                    className="fill-current text-[12px] tabular-nums"
                  >
                    {bar.text}
                  </text>
                </g>
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}
