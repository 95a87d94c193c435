/**
 * The globals of an AudioWorkletGlobalScope, typed here rather than declared globally so
 * main-thread code cannot use them by mistake (`sampleRate` would shadow nothing and compile).
 */
export interface WorkletProcessor {
  readonly port: MessagePort;
}

export interface AudioWorkletScope {
  readonly sampleRate: number;
  readonly currentFrame: number;
  readonly AudioWorkletProcessor: new (options?: unknown) => WorkletProcessor;
  registerProcessor(name: string, processor: new (options: { processorOptions?: unknown }) => unknown): void;
}

/** The running worklet scope. Only call inside a worklet module. */
export function workletScope(): AudioWorkletScope {
  return globalThis as unknown as AudioWorkletScope;
}
