/** Zeroth-order modified Bessel function of the first kind (power series; converges fast for x < 30). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const half = x / 2;
  for (let k = 1; k < 64; k++) {
    term *= (half / k) * (half / k);
    sum += term;
    if (term < sum * 1e-12) break;
  }
  return sum;
}

/** Kaiser's β for a stopband attenuation in dB (Kaiser 1974, as in Oppenheim & Schafer). */
export function kaiserBeta(attenuationDb: number): number {
  if (attenuationDb > 50) return 0.1102 * (attenuationDb - 8.7);
  if (attenuationDb >= 21) return 0.5842 * (attenuationDb - 21) ** 0.4 + 0.07886 * (attenuationDb - 21);
  return 0;
}

/**
 * Filter length (taps at `sampleRate`) a Kaiser-windowed sinc needs for `attenuationDb` with a
 * transition band `transitionHz` wide.
 */
export function kaiserLength(attenuationDb: number, transitionHz: number, sampleRate: number): number {
  return Math.ceil((attenuationDb - 7.95) / (14.357 * (transitionHz / sampleRate))) + 1;
}

/** The Kaiser window at `x` in [-halfWidth, halfWidth]; 0 outside. */
export function kaiserWindow(x: number, halfWidth: number, beta: number): number {
  const r = x / halfWidth;
  if (r <= -1 || r >= 1) return 0;
  return besselI0(beta * Math.sqrt(1 - r * r)) / besselI0(beta);
}
