/** Why a minute is shaded: the bound the chart draws was exceeded (STALE), or nothing could be measured (UNKNOWN). */
export type FreshnessFlag = 'stale' | 'unknown';

/** One sample of one measure (lag or data age) of one projection: the minute it was taken, its value, and its flag. */
export interface FreshnessPoint {
  /** The minute sampled, epoch ms. */
  at: number;
  /** Null when the sample has no value (data age before any event, or nothing measured). */
  valueMs: number | null;
  flag: FreshnessFlag | null;
}

/** One projection's points, oldest first. */
export interface FreshnessSeries {
  projection: string;
  points: readonly FreshnessPoint[];
}

/** A run of consecutive flagged minutes, [from, to) in epoch ms. */
export interface FreshnessBand {
  from: number;
  to: number;
  flag: FreshnessFlag;
}

/** What the chart draws: one x per sampled minute (and a null x in each gap), values in seconds. */
export interface AlignedFreshness {
  /** Epoch ms, ascending. */
  xs: number[];
  /** Per series, one value per x, in seconds; null where that projection has no sample (a gap). */
  values: Array<Array<number | null>>;
  /** Per series, the samples drawn: values that are not null. */
  points: number[];
  /** Per series, the minutes flagged, by flag. */
  flagged: Array<Record<FreshnessFlag, number>>;
  /** Flagged minutes of any series, merged into runs, by flag. */
  bands: FreshnessBand[];
}

const MINUTE_MS = 60_000;

/**
 * Aligns projections' samples on one time axis for uPlot, within [from, to]. The history keeps one
 * sample per minute, so a minute missing between two samples is a gap (no gateway sampled then):
 * a null x is put there so the line breaks instead of bridging it with a value nobody measured.
 */
export function alignFreshness(series: readonly FreshnessSeries[], from: number, to: number, stepMs = MINUTE_MS): AlignedFreshness {
  const inWindow = series.map((s) => s.points.filter((p) => p.at >= from && p.at <= to));
  const sampled = [...new Set(inWindow.flatMap((points) => points.map((p) => p.at)))].sort((a, b) => a - b);
  const xs: number[] = [];
  for (const x of sampled) {
    const previous = xs.at(-1);
    if (previous !== undefined && x - previous > stepMs * 1.5) xs.push(previous + stepMs);
    xs.push(x);
  }
  const values = inWindow.map((points) => {
    const byMinute = new Map(points.map((p) => [p.at, p.valueMs === null ? null : p.valueMs / 1000]));
    return xs.map((x) => byMinute.get(x) ?? null);
  });
  const flagged = inWindow.map((points) => ({ stale: points.filter((p) => p.flag === 'stale').length, unknown: points.filter((p) => p.flag === 'unknown').length }));
  const bands = (['stale', 'unknown'] as const).flatMap((flag) => {
    const minutes = [...new Set(inWindow.flatMap((points) => points.filter((p) => p.flag === flag).map((p) => p.at)))].sort((a, b) => a - b);
    const runs: FreshnessBand[] = [];
    for (const minute of minutes) {
      const last = runs.at(-1);
      if (last && minute <= last.to) last.to = Math.min(to, minute + stepMs);
      else runs.push({ from: minute, to: Math.min(to, minute + stepMs), flag });
    }
    return runs;
  });
  return { xs, values, points: values.map((v) => v.filter((x) => x !== null).length), flagged, bands };
}
