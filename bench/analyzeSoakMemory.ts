/** One memory sample of the soak, MB (null where the gateway's /metrics did not say). */
export interface MemorySample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number | null;
  externalMb: number | null;
  /** PGlite's WebAssembly memory (dpg_database_wasm_memory_bytes); null on PostgreSQL. */
  wasmMb: number | null;
  recordsApplied: number | null;
}

export interface SoakMemory {
  /** Records the projectors applied between the warm-up sample and the end. */
  recordsAfterWarmUp: number;
  /**
   * The lowest heap used in each minute after warm-up: what survives collections. Heap used swings
   * by 100 MB between collections; a leak shows as floors that keep rising.
   */
  heapFloorMb: { first: number | null; last: number | null; growth: number | null; slopePerMinute: number | null; floors: Array<{ fromSeconds: number; mb: number }> };
  /** PGlite's WebAssembly memory: its working memory (it stays at its initial size in a 10-minute soak). */
  wasmMb: { atWarmUp: number | null; end: number | null; growth: number | null; per10kRecords: number | null };
  /**
   * Buffers and ArrayBuffers outside the WebAssembly memory: on embedded defaults mostly PGlite's
   * in-memory file system (Emscripten MEMFS: the database files and the WAL), and the in-process
   * log's record bytes (it keeps every record).
   */
  otherExternalMb: { atWarmUp: number | null; end: number | null; growth: number | null; per10kRecords: number | null };
  /** RSS growth after warm-up less what the data explains (WebAssembly memory, PGlite's files, record bytes). */
  rssGrowthBeyondDataMb: number;
}

const round = (n: number) => Math.round(n * 10) / 10;

/**
 * Splits the soak's memory growth into what holds data by design (PGlite's database and WAL files,
 * the embedded log's records) and what would be a leak (JS heap floors rising, RSS growing beyond
 * the data).
 */
export function analyzeSoakMemory(samples: readonly MemorySample[], baseline: MemorySample, windowSeconds = 60): SoakMemory {
  const end = samples.at(-1)!;
  const after = samples.filter((s) => s.atSeconds >= baseline.atSeconds);
  const records = (end.recordsApplied ?? 0) - (baseline.recordsApplied ?? 0);
  const per10k = (growth: number | null) => (growth === null || records <= 0 ? null : round((growth / records) * 10_000));
  const floors: Array<{ fromSeconds: number; mb: number }> = [];
  for (let from = baseline.atSeconds; from <= end.atSeconds; from += windowSeconds) {
    const heaps = after.filter((s) => s.atSeconds >= from && s.atSeconds < from + windowSeconds && s.heapUsedMb !== null).map((s) => s.heapUsedMb!);
    // A window needs a few samples for its minimum to be a floor, not one unlucky moment.
    if (heaps.length >= 3) floors.push({ fromSeconds: from, mb: Math.min(...heaps) });
  }
  const growthOf = (read: (s: MemorySample) => number | null) => {
    const [a, b] = [read(baseline), read(end)];
    return { atWarmUp: a, end: b, growth: a === null || b === null ? null : round(b - a) };
  };
  const wasm = growthOf((s) => s.wasmMb);
  const other = growthOf((s) => (s.externalMb === null ? null : s.externalMb - (s.wasmMb ?? 0)));
  const rssGrowth = end.rssMb - baseline.rssMb;
  return {
    recordsAfterWarmUp: records,
    heapFloorMb: {
      first: floors[0]?.mb ?? null,
      last: floors.at(-1)?.mb ?? null,
      growth: floors.length < 2 ? null : round(floors.at(-1)!.mb - floors[0]!.mb),
      slopePerMinute: slope(floors.map((f) => [f.fromSeconds, f.mb])),
      floors,
    },
    wasmMb: { ...wasm, atWarmUp: wasm.atWarmUp === null ? null : round(wasm.atWarmUp), end: wasm.end === null ? null : round(wasm.end), per10kRecords: per10k(wasm.growth) },
    otherExternalMb: { ...other, atWarmUp: other.atWarmUp === null ? null : round(other.atWarmUp), end: other.end === null ? null : round(other.end), per10kRecords: per10k(other.growth) },
    rssGrowthBeyondDataMb: round(rssGrowth - (wasm.growth ?? 0) - (other.growth ?? 0)),
  };
}

/** Least-squares slope, per minute, of [seconds, value] points; null with fewer than three. */
export function slope(points: ReadonlyArray<readonly [number, number]>): number | null {
  if (points.length < 3) return null;
  const n = points.length;
  const meanT = points.reduce((a, [t]) => a + t, 0) / n;
  const meanV = points.reduce((a, [, v]) => a + v, 0) / n;
  const covariance = points.reduce((a, [t, v]) => a + (t - meanT) * (v - meanV), 0);
  const variance = points.reduce((a, [t]) => a + (t - meanT) ** 2, 0);
  return variance === 0 ? null : Math.round((covariance / variance) * 60 * 100) / 100;
}
