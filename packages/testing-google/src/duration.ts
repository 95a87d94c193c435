/** A `google.protobuf.Duration` as the proto loader reads and writes it (`longs: String`). */
export interface ProtoDuration {
  readonly seconds: string | number;
  readonly nanos: number;
}

/** Milliseconds → `google.protobuf.Duration`. */
export function durationFromMs(ms: number): ProtoDuration {
  const whole = Math.floor(ms / 1000);
  return { seconds: String(whole), nanos: Math.round((ms - whole * 1000) * 1e6) };
}
