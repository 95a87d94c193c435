import { microphoneError, WebAudioError } from '../errors';
import { loadWorklet } from '../worklets/load-worklet';
import {
  CAPTURE_PROCESSOR,
  type CaptureFrameMessage,
  type CaptureProcessorOptions,
} from '../worklets/messages';

/** One 16 kHz (by default) mono Int16 frame from the microphone. */
export interface CapturedFrame {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  /** 0-based, continuous across device switches. */
  readonly seq: number;
  /** Peak level 0..1, for a meter. */
  readonly peak: number;
}

/** Options of {@link startMicrophoneCapture}. */
export interface MicrophoneCaptureOptions {
  /** Called for every frame, on the main thread. */
  readonly onFrame: (frame: CapturedFrame) => void;
  /** The microphone went away and could not be reopened (`device_lost`), or reopening failed. */
  readonly onError?: (error: WebAudioError) => void;
  /** The capture moved to another device (after `devicechange` or a lost track). */
  readonly onDeviceChange?: (deviceId: string | undefined) => void;
  /** A specific microphone; default: the system default, followed when it changes. */
  readonly deviceId?: string;
  /** Overrides of the track constraints. echoCancellation, noiseSuppression and autoGainControl default to true. */
  readonly constraints?: MediaTrackConstraints;
  /** Output rate, Hz. Default 16 000. */
  readonly sampleRate?: number;
  /** Frame length, ms. Default 20. */
  readonly frameMs?: number;
  /** Load the capture worklet from this URL instead of the bundled code (strict CSP). */
  readonly workletUrl?: string;
  /** Where `getUserMedia` and `devicechange` come from. Default `navigator.mediaDevices`. */
  readonly mediaDevices?: MediaDevices;
}

/** A running microphone capture. Stop it to release the device. */
export interface MicrophoneCapture {
  /** The device in use, as the track reports it. */
  readonly deviceId: string | undefined;
  /** Moves to another microphone without a gap in `seq`. */
  switchDevice(deviceId: string | undefined): Promise<void>;
  /** Releases the microphone and the worklet. Idempotent. */
  stop(): void;
}

/**
 * Opens the microphone (echo cancellation, noise suppression and auto gain on by default) and
 * streams it through an AudioWorklet that low-pass filters, resamples to 16 kHz and cuts 20 ms
 * Int16 frames. Permission and device failures reject with a {@link WebAudioError}.
 *
 * @example
 * const capture = await startMicrophoneCapture(context, { onFrame: (f) => client.sendAudio(f.samples) });
 */
export async function startMicrophoneCapture(
  context: AudioContext,
  options: MicrophoneCaptureOptions,
): Promise<MicrophoneCapture> {
  const mediaDevices = options.mediaDevices ?? globalThis.navigator?.mediaDevices;
  if (!mediaDevices?.getUserMedia) {
    throw new WebAudioError(
      'worklet_unsupported',
      'getUserMedia is not available (it needs a secure context)',
    );
  }
  // Open the device first: the permission prompt is the slow, fallible part.
  let stream = await openStream(mediaDevices, options.deviceId, options.constraints);
  try {
    await loadWorklet(context, 'capture', options.workletUrl);
  } catch (error) {
    for (const track of stream.getTracks()) track.stop();
    throw error;
  }
  const outputRate = options.sampleRate ?? 16_000;
  const processorOptions: CaptureProcessorOptions = { outputRate, frameMs: options.frameMs ?? 20 };
  const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: 1,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
    processorOptions,
  });
  node.port.onmessage = (event: MessageEvent<CaptureFrameMessage>) => {
    const { samples, seq, peak } = event.data;
    options.onFrame({ samples, sampleRate: outputRate, seq, peak });
  };

  let source = context.createMediaStreamSource(stream);
  source.connect(node);
  let wantedDevice = options.deviceId;
  let isStopped = false;

  const currentDeviceId = () => stream.getAudioTracks()[0]?.getSettings().deviceId;

  const attach = async (deviceId: string | undefined) => {
    const next = await openStream(mediaDevices, deviceId, options.constraints);
    if (isStopped) {
      for (const track of next.getTracks()) track.stop();
      return;
    }
    const nextSource = context.createMediaStreamSource(next);
    nextSource.connect(node);
    source.disconnect();
    for (const track of stream.getTracks()) track.stop();
    stream.getAudioTracks()[0]?.removeEventListener('ended', onEnded);
    stream = next;
    source = nextSource;
    stream.getAudioTracks()[0]?.addEventListener('ended', onEnded);
    options.onDeviceChange?.(currentDeviceId());
  };

  const reopen = (deviceId: string | undefined, lost: boolean) =>
    attach(deviceId).catch((error: unknown) => {
      const cause = microphoneError(error);
      options.onError?.(lost ? new WebAudioError('device_lost', cause.message, { cause }) : cause);
    });

  // The track ends when its device is unplugged or the permission is revoked.
  function onEnded() {
    if (!isStopped) void reopen(wantedDevice === undefined ? undefined : wantedDevice, true);
  }
  const onDeviceChange = async () => {
    if (isStopped) return;
    const devices = await mediaDevices.enumerateDevices().catch(() => []);
    const inUse = currentDeviceId();
    const stillThere = devices.some((d) => d.kind === 'audioinput' && d.deviceId === inUse);
    // Follow the default device only when the app did not pin one.
    if (!stillThere && wantedDevice === undefined) void reopen(undefined, true);
  };
  stream.getAudioTracks()[0]?.addEventListener('ended', onEnded);
  mediaDevices.addEventListener?.('devicechange', onDeviceChange);

  return {
    get deviceId() {
      return currentDeviceId();
    },
    async switchDevice(deviceId) {
      wantedDevice = deviceId;
      try {
        await attach(deviceId);
      } catch (error) {
        throw microphoneError(error);
      }
    },
    stop() {
      if (isStopped) return;
      isStopped = true;
      mediaDevices.removeEventListener?.('devicechange', onDeviceChange);
      stream.getAudioTracks()[0]?.removeEventListener('ended', onEnded);
      node.port.postMessage({ type: 'stop' });
      node.port.onmessage = null;
      source.disconnect();
      for (const track of stream.getTracks()) track.stop();
    },
  };
}

async function openStream(
  mediaDevices: MediaDevices,
  deviceId: string | undefined,
  constraints: MediaTrackConstraints | undefined,
): Promise<MediaStream> {
  try {
    return await mediaDevices.getUserMedia({
      audio: {
        echoCancellation: true,
        noiseSuppression: true,
        autoGainControl: true,
        channelCount: 1,
        ...constraints,
        ...(deviceId === undefined ? {} : { deviceId: { exact: deviceId } }),
      },
    });
  } catch (error) {
    throw microphoneError(error);
  }
}
