/** A point of a time series: `t` in ms, `value` in any unit. */
export interface Sample {
  readonly t: number;
  readonly value: number;
}

/**
 * The least-squares slope of `value` over `t` (value units per ms). A trend, not the difference
 * of two points: one sample taken while many sessions happened to be mid-turn moves it little.
 * NaN with fewer than two distinct times.
 */
export function linearSlope(samples: readonly Sample[]): number {
  const n = samples.length;
  if (n < 2) return Number.NaN;
  const meanT = samples.reduce((sum, s) => sum + s.t, 0) / n;
  const meanV = samples.reduce((sum, s) => sum + s.value, 0) / n;
  let covariance = 0;
  let variance = 0;
  for (const { t, value } of samples) {
    covariance += (t - meanT) * (value - meanV);
    variance += (t - meanT) ** 2;
  }
  return variance === 0 ? Number.NaN : covariance / variance;
}
