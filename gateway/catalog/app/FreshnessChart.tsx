import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';

/** One projection's lag over time: what the chart draws. Today only "now" is known; freshness history plugs in here. */
export interface FreshnessSeries {
  projection: string;
  slaSeconds: number;
  points: ReadonlyArray<{ at: number; lagMs: number }>;
}

const DAY_MS = 24 * 3600 * 1000;
/** One colour per projection, distinct for the usual colour-vision deficiencies (Okabe–Ito). */
const COLOURS = ['#0072B2', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000'];

/**
 * Lag (seconds behind, per projection) over the last day against the version's freshness SLA,
 * drawn by uPlot on a canvas. The canvas is an image to assistive technology: its label says
 * what it shows, and the table beside it has the numbers.
 */
export function FreshnessChart({ series, now, windowMs = DAY_MS }: { series: readonly FreshnessSeries[]; now: number; windowMs?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const from = now - windowMs;
    // The window's ends are on the x axis, so the SLA line spans the whole day even with one sample.
    const xs = [...new Set([from, ...series.flatMap((s) => s.points.map((p) => p.at)), now])].filter((x) => x >= from && x <= now).sort((a, b) => a - b);
    const sla = Math.max(...series.map((s) => s.slaSeconds), 0);
    const data: uPlot.AlignedData = [
      xs.map((x) => x / 1000),
      ...series.map((s) => xs.map((x) => {
        const point = s.points.find((p) => p.at === x);
        return point ? point.lagMs / 1000 : null;
      })),
      xs.map(() => sla),
    ];
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth || 640),
        height: 220,
        scales: { x: { time: true, range: [from / 1000, now / 1000] }, y: { range: (_u, _min, max) => [0, Math.max(max ?? 0, sla) * 1.15 || 1] } },
        series: [
          {},
          ...series.map((s, i) => ({ label: `${s.projection} lag (s)`, stroke: COLOURS[i % COLOURS.length], width: 2, points: { show: true, size: 9 } })),
          { label: `SLA ${sla} s`, stroke: '#b45309', dash: [6, 4], width: 1.5, points: { show: false } },
        ],
        axes: [{}, { label: 'seconds behind' }],
        cursor: { drag: { x: false, y: false } },
      },
      data,
      element,
    );
    return () => plot.destroy();
  }, [series, now, windowMs]);
  const latest = series.map((s) => `${s.projection} ${s.points.length ? `${Math.round(s.points[s.points.length - 1]!.lagMs / 1000)} s behind` : 'no sample'}`).join(', ');
  return <div ref={box} class="freshness-chart" role="img" aria-label={`Lag over the last day against the ${Math.max(...series.map((s) => s.slaSeconds), 0)} s SLA: ${latest || 'no projections'}`} />;
}
