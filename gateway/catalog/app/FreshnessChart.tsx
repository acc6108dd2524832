import { useEffect, useMemo, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import type { FreshnessFlag, FreshnessSeries } from './alignFreshness.js';
import { alignFreshness } from './alignFreshness.js';
import { formatDuration } from './formatDuration.js';

export type { FreshnessSeries } from './alignFreshness.js';

const DAY_MS = 24 * 3600 * 1000;
/** One colour per projection, distinct for the usual colour-vision deficiencies (Okabe–Ito); `.series-N` in app.css has the same. */
const COLOURS = ['#0072B2', '#009E73', '#CC79A7', '#56B4E9', '#E69F00', '#000000'];
/** Ticks on the y axis, in seconds: durations people say, from a second to a year (the scale's own would be 1, 2, 3 … 9, 10, 20 …). */
const SPLITS = [0, 1, 10, 60, 300, 900, 3600, 6 * 3600, 86_400, 7 * 86_400, 30 * 86_400, 90 * 86_400, 365 * 86_400];
const THRESHOLD_COLOUR = '#b45309';
/** Shading of flagged minutes; `.band-stale` and `.band-unknown` in app.css have the same. */
const BAND_FILL: Record<FreshnessFlag, string> = { stale: 'rgba(180, 35, 24, 0.16)', unknown: 'rgba(107, 114, 128, 0.22)' };

/**
 * Where uPlot hides points (too many to draw), a sample with no neighbour (a gap either side)
 * would be drawn as nothing at all: those are drawn as points.
 */
function lonePoints(u: uPlot, seriesIdx: number, show: boolean): number[] | null {
  if (show) return null;
  const ys = u.data[seriesIdx] ?? [];
  const lone: number[] = [];
  for (let i = 0; i < ys.length; i++) if ((ys[i] ?? null) !== null && (ys[i - 1] ?? null) === null && (ys[i + 1] ?? null) === null) lone.push(i);
  return lone.length > 0 ? lone : null;
}

/**
 * One measure (processing lag or data age) of every projection a contract version reads, over
 * the last day, one sample per minute, against the bound the contract puts on it (`threshold`;
 * null when the contract does not bind it). Minutes flagged STALE for this bound, or UNKNOWN, are
 * shaded. The y axis is arcsinh-scaled: linear near zero, logarithmic beyond, so a lag of seconds
 * and a data age of weeks are both readable against a bound of a minute.
 *
 * The canvas is an image to assistive technology: its label says what it shows, and the list
 * below it has each projection's samples, flagged minutes and latest value (what the test counts).
 */
export function FreshnessChart({
  measure,
  title,
  series,
  threshold,
  now,
  windowMs = DAY_MS,
}: {
  /** Names the chart (`data-measure`). */
  measure: string;
  title: string;
  series: readonly FreshnessSeries[];
  /** The bound, e.g. "the 60 s SLA": a minute past it is STALE (shaded). */
  threshold: { label: string; seconds: number } | null;
  now: number;
  windowMs?: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const from = now - windowMs;
  const aligned = useMemo(() => alignFreshness(series, from, now), [series, from, now]);
  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const data: uPlot.AlignedData = [aligned.xs.map((x) => x / 1000), ...aligned.values, ...(threshold ? [aligned.xs.map(() => threshold.seconds)] : [])];
    const seconds = (value: number | null) => (value === null ? '—' : formatDuration(value * 1000));
    const plot = new uPlot(
      {
        width: Math.max(320, element.clientWidth || 640),
        height: 220,
        scales: {
          x: { time: true, range: [from / 1000, now / 1000] },
          y: { distr: 4, asinh: 1, range: (_u, _min, max) => [0, Math.max(max ?? 0, threshold?.seconds ?? 0, 1) * 2] },
        },
        series: [
          {},
          ...series.map((s, i) => ({ label: s.projection, stroke: COLOURS[i % COLOURS.length], width: 2, spanGaps: false, points: { size: 7, filter: lonePoints }, value: (_u: uPlot, v: number | null) => seconds(v) })),
          ...(threshold ? [{ label: threshold.label, stroke: THRESHOLD_COLOUR, dash: [6, 4], width: 1.5, points: { show: false }, value: (_u: uPlot, v: number | null) => seconds(v) }] : []),
        ],
        // Every one of these splits is labelled (uPlot's own filter for a log-like scale keeps powers of ten only).
        axes: [{}, { label: title, size: 70, splits: (_u, _axis, _min, max) => SPLITS.filter((s) => s <= max), filter: (_u, splits) => splits, values: (_u, splits) => splits.map((s) => (s === 0 ? '0' : seconds(s))) }],
        cursor: { drag: { x: false, y: false } },
        hooks: {
          // Under the series: each run of flagged minutes as a band across the plot.
          drawClear: [
            (u) => {
              const { ctx, bbox } = u;
              ctx.save();
              for (const band of aligned.bands) {
                const left = u.valToPos(band.from / 1000, 'x', true);
                const right = u.valToPos(band.to / 1000, 'x', true);
                ctx.fillStyle = BAND_FILL[band.flag];
                ctx.fillRect(left, bbox.top, Math.max(right - left, 2), bbox.height);
              }
              ctx.restore();
            },
          ],
        },
      },
      data,
      element,
    );
    // The chart follows its box: a narrower window (or a phone turned) would otherwise keep the
    // width it was drawn at and overflow, a wider one leave it small. setSize redraws in place.
    let width = plot.width;
    const resized = new ResizeObserver(() => {
      const next = Math.max(320, element.clientWidth || width);
      if (next === width) return;
      width = next;
      plot.setSize({ width, height: 220 });
    });
    resized.observe(element);
    return () => {
      resized.disconnect();
      plot.destroy();
    };
  }, [aligned, series, threshold, title, from, now]);

  const latest = (i: number) => {
    const value = [...(aligned.values[i] ?? [])].reverse().find((v) => v !== null);
    return value === undefined || value === null ? 'no sample' : `latest ${formatDuration(value * 1000)}`;
  };
  const past = (i: number) => (threshold ? `, ${aligned.flagged[i]?.stale ?? 0} minutes past ${threshold.label}` : '');
  const unknown = (i: number) => (aligned.flagged[i]?.unknown ? `, ${aligned.flagged[i]!.unknown} not measured` : '');
  const summary = series.map((s, i) => `${s.projection}: ${aligned.points[i] ?? 0} samples${past(i)}${unknown(i)}, ${latest(i)}`).join('; ');
  return (
    <figure class="freshness-chart" data-measure={measure}>
      <figcaption>
        <strong>{title}</strong> over the last day{threshold ? `, against ${threshold.label}` : ', not bound by this version'}.{' '}
        {threshold ? (
          <>
            <span class="swatch band-stale" aria-hidden="true" /> Shaded: minutes past {threshold.label} (STALE);{' '}
          </>
        ) : null}
        <span class="swatch band-unknown" aria-hidden="true" /> grey: not measured (UNKNOWN). A break in a line is a minute nobody sampled.
      </figcaption>
      <div ref={box} class="chart-canvas" role="img" aria-label={`${title} over the last day${threshold ? ` against ${threshold.label}` : ''}: ${summary || 'no projections'}`} />
      <ul class="chart-summary">
        {series.map((s, i) => (
          <li key={s.projection} data-projection={s.projection} data-points={aligned.points[i] ?? 0} data-stale={aligned.flagged[i]?.stale ?? 0} data-unknown={aligned.flagged[i]?.unknown ?? 0}>
            <span class={`swatch series-${i % COLOURS.length}`} aria-hidden="true" /> <strong>{s.projection}</strong>: {aligned.points[i] ?? 0} samples
            {past(i)}
            {unknown(i)}, {latest(i)}
          </li>
        ))}
      </ul>
    </figure>
  );
}
