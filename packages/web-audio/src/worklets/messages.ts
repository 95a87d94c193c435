import type { ControlLane } from '../playback/control-lane';
import type { PlayerCoreOptions } from '../playback/player-core';
import type { PlayerChunk, PlayerEvent, PlayerStats } from '../playback/player-events';

/** Registered processor names. */
export const CAPTURE_PROCESSOR = 'voxduplex-capture';
export const PLAYER_PROCESSOR = 'voxduplex-player';

/** `processorOptions` of the capture processor. */
export interface CaptureProcessorOptions {
  readonly outputRate: number;
  readonly frameMs: number;
  /** An RNNoise build's bytes: the worklet compiles it and denoises the input. */
  readonly rnnoiseBytes?: Uint8Array<ArrayBuffer>;
}

/** Capture processor → main thread: one frame of resampled Int16 mono audio. */
export interface CaptureFrameMessage {
  readonly type: 'frame';
  readonly samples: Int16Array;
  /** 0-based frame counter. */
  readonly seq: number;
  /** Peak absolute sample in the frame, 0..1 (a level meter for UIs). */
  readonly peak: number;
}

/** Capture processor → main thread: stopped, and the noise suppressor (if any) freed. */
export interface CaptureReleasedMessage {
  readonly type: 'released';
  /** Whether the worklet's RNNoise instance still existed after the release (it must not). */
  readonly isRnnoiseInstantiated: boolean;
}

/** Everything the capture processor posts. */
export type CaptureMessage = CaptureFrameMessage | CaptureReleasedMessage;

/** Main thread → capture processor. */
export type CaptureCommand = { readonly type: 'stop' };

/** Player tuning passed to the worklet (the output rate is the context's). */
export type PlayerProcessorOptions = Omit<PlayerCoreOptions, 'sampleRate'>;

/** `processorOptions` of the player processor: the tuning, and the control lane when isolated. */
export interface PlayerProcessorInit extends PlayerProcessorOptions {
  /** Buffer of a {@link ControlLane}; absent on pages that are not cross-origin isolated. */
  readonly controlBuffer?: SharedArrayBuffer;
}

/** Main thread → player processor. */
export type PlayerCommand =
  | ({ readonly type: 'chunk' } & PlayerChunk)
  | { readonly type: 'end'; readonly speechId: string }
  | { readonly type: 'pause'; readonly speechId?: string }
  | { readonly type: 'resume'; readonly speechId?: string }
  | { readonly type: 'interrupt'; readonly speechId?: string }
  | { readonly type: 'stats'; readonly requestId: number };

/** Player processor → main thread. */
export type PlayerMessage =
  | { readonly type: 'event'; readonly event: PlayerEvent }
  | {
      readonly type: 'stats';
      readonly requestId: number;
      readonly stats: PlayerStats;
      readonly frame: number;
    };
