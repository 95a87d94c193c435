import type { RnnoiseWasm } from '@voxduplex/noise-suppression';
import { microphoneError, WebAudioError } from '../errors';
import { loadWorklet } from '../worklets/load-worklet';
import { CAPTURE_PROCESSOR, type CaptureMessage, type CaptureProcessorOptions } from '../worklets/messages';

/** How often the track's state is checked: a track stopped by page code fires no event. */
const TRACK_CHECK_MS = 250;

/** One 16 kHz (by default) mono Int16 frame from the microphone. */
export interface CapturedFrame {
  readonly samples: Int16Array;
  readonly sampleRate: number;
  /** 0-based, continuous across device switches. */
  readonly seq: number;
  /** Peak level 0..1, for a meter. */
  readonly peak: number;
}

/**
 * Why the capture moved to another microphone: `switched` (`switchDevice`), `track-ended` (the
 * track ended: device unplugged, permission revoked, or `stop()` called on it), `device-removed`
 * (`devicechange` and the device in use is no longer listed), `device-added` (`devicechange`
 * after the capture had lost its microphone and found none).
 */
export type DeviceChangeReason = 'switched' | 'track-ended' | 'device-removed' | 'device-added';

/** Options of {@link startMicrophoneCapture}. */
export interface MicrophoneCaptureOptions {
  /** Called for every frame, on the main thread. */
  readonly onFrame: (frame: CapturedFrame) => void;
  /**
   * The microphone went away and no microphone could be reopened: a `device_lost`
   * {@link WebAudioError} (its `cause` is the failure to reopen). Capture pauses until a
   * microphone appears (`devicechange`) or `switchDevice()` succeeds.
   */
  readonly onError?: (error: WebAudioError) => void;
  /** The capture moved to another device; frames go on with the next `seq`. */
  readonly onDeviceChange?: (deviceId: string | undefined, reason: DeviceChangeReason) => void;
  /**
   * A specific microphone; default: the system default, followed when it changes. A pinned
   * microphone that goes away is replaced by the default one (reported as a device change).
   */
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
  /**
   * RNNoise in the capture worklet, from `loadRnnoise()` of `@voxduplex/noise-suppression`. Off by
   * default: the browser's own `noiseSuppression` constraint is already on, and RNNoise helps
   * recognition only under steady noise, not under babble (that package's README has the figures).
   * Turn it on for steady noise (fans, hiss, traffic), e.g. with `constraints: { noiseSuppression: false }`.
   */
  readonly noiseSuppression?: RnnoiseWasm;
  /**
   * The worklet has stopped after `stop()`; `hasFreedRnnoise` is false only if its RNNoise instance
   * outlived it (a leak: report it). For tests and leak checks.
   */
  readonly onReleased?: (released: { readonly hasFreedRnnoise: boolean }) => void;
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
  const processorOptions: CaptureProcessorOptions = {
    outputRate,
    frameMs: options.frameMs ?? 20,
    ...(options.noiseSuppression ? { rnnoiseBytes: options.noiseSuppression.bytes } : {}),
  };
  const node = new AudioWorkletNode(context, CAPTURE_PROCESSOR, {
    numberOfInputs: 1,
    numberOfOutputs: 0,
    channelCount: 1,
    channelCountMode: 'explicit',
    channelInterpretation: 'speakers',
    processorOptions,
  });
  let isStopped = false;
  node.port.onmessage = (event: MessageEvent<CaptureMessage>) => {
    const message = event.data;
    if (message.type === 'released') {
      node.port.onmessage = null;
      options.onReleased?.({ hasFreedRnnoise: !message.isRnnoiseInstantiated });
      return;
    }
    // Frames already posted when stop() was called are not delivered.
    if (isStopped) return;
    options.onFrame({
      samples: message.samples,
      sampleRate: outputRate,
      seq: message.seq,
      peak: message.peak,
    });
  };

  let source = context.createMediaStreamSource(stream);
  source.connect(node);
  let wantedDevice = options.deviceId;
  let reopening: Promise<void> | undefined;
  /** No microphone could be reopened: wait for one to appear rather than retry and re-report. */
  let isLost = false;

  const currentTrack = () => stream.getAudioTracks()[0];
  const currentDeviceId = () => currentTrack()?.getSettings().deviceId;

  /** Moves the worklet's input to a newly opened stream and releases the old one. */
  const attach = async (deviceId: string | undefined, reason: DeviceChangeReason) => {
    const next = await openStream(mediaDevices, deviceId, options.constraints);
    if (isStopped) {
      for (const track of next.getTracks()) track.stop();
      return;
    }
    const nextSource = context.createMediaStreamSource(next);
    nextSource.connect(node);
    release(stream, source);
    stream = next;
    source = nextSource;
    currentTrack()?.addEventListener('ended', onEnded);
    options.onDeviceChange?.(currentDeviceId(), reason);
  };

  // The old track's listener goes first: stopping it must not look like a lost device.
  function release(old: MediaStream, oldSource: MediaStreamAudioSourceNode) {
    old.getAudioTracks()[0]?.removeEventListener('ended', onEnded);
    oldSource.disconnect();
    for (const track of old.getTracks()) track.stop();
  }

  /** The microphone in use went away: the wanted one again, else the default, else an error. */
  const reopen = (reason: DeviceChangeReason) => {
    reopening ??= (async () => {
      try {
        await attach(wantedDevice, reason);
      } catch (error) {
        if (wantedDevice === undefined) throw error;
        // The pinned microphone is gone: the default one is better than none.
        await attach(undefined, reason);
        wantedDevice = undefined;
      }
      isLost = false;
    })()
      .catch((error: unknown) => {
        if (isStopped || isLost) return;
        isLost = true;
        // No silent frames from a dead track: the server hears nothing rather than fake silence.
        release(stream, source);
        const cause = microphoneError(error);
        options.onError?.(new WebAudioError('device_lost', `Microphone lost: ${cause.message}`, { cause }));
      })
      .finally(() => {
        reopening = undefined;
      });
    return reopening;
  };

  // The track ends when its device is unplugged or the permission is revoked ('ended' fires),
  // or when page code calls stop() on it (no event: the watchdog sees its state).
  function onEnded() {
    if (!isStopped) void reopen('track-ended');
  }
  const watchdog = setInterval(() => {
    if (isStopped || isLost || reopening) return;
    if (currentTrack()?.readyState === 'ended') void reopen('track-ended');
  }, TRACK_CHECK_MS);
  const onDeviceChange = async () => {
    if (isStopped || reopening) return;
    if (isLost) {
      void reopen('device-added');
      return;
    }
    const inUse = currentDeviceId();
    const devices = await mediaDevices.enumerateDevices().catch(() => undefined);
    if (!devices || isStopped || inUse !== currentDeviceId()) return;
    const isStillThere = devices.some((d) => d.kind === 'audioinput' && d.deviceId === inUse);
    if (!isStillThere) void reopen('device-removed');
  };
  currentTrack()?.addEventListener('ended', onEnded);
  mediaDevices.addEventListener?.('devicechange', onDeviceChange);

  return {
    get deviceId() {
      return currentDeviceId();
    },
    async switchDevice(deviceId) {
      try {
        await attach(deviceId, 'switched');
        wantedDevice = deviceId;
        isLost = false;
      } catch (error) {
        throw microphoneError(error);
      }
    },
    stop() {
      if (isStopped) return;
      isStopped = true;
      clearInterval(watchdog);
      mediaDevices.removeEventListener?.('devicechange', onDeviceChange);
      // The worklet answers with 'released' (then the port's handler goes).
      node.port.postMessage({ type: 'stop' });
      release(stream, source);
      node.disconnect();
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
