// The Chromium test page: drives the package's public API and reports what it observed.

import { loadRnnoise } from '@voxduplex/noise-suppression';
import { type MicrophoneCapture, startMicrophoneCapture, unlockAudioContext } from '../../src/index';
import { playbackApi } from './playback-api';
import { voiceClientApi } from './voice-client-api';

const _sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let capture: MicrophoneCapture | undefined;
const releases: { readonly hasFreedRnnoise: boolean }[] = [];

/**
 * `navigator.mediaDevices` as the capture sees it, with the test in control: it can hide a
 * device from `enumerateDevices`, fire `devicechange`, refuse to open microphones, and it keeps
 * every stream it opened so the test can see each track was stopped.
 */
class TestMediaDevices extends EventTarget {
  readonly opened: MediaStream[] = [];
  hiddenDeviceId: string | undefined;
  isRefusing = false;

  async getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream> {
    if (this.isRefusing) throw new DOMException('Requested device not found', 'NotFoundError');
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    this.opened.push(stream);
    return stream;
  }

  async enumerateDevices(): Promise<MediaDeviceInfo[]> {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return devices.filter((d) => d.deviceId !== this.hiddenDeviceId);
  }
}

/** Every MediaStreamAudioSourceNode a context made, and whether it was disconnected. */
function recordSources(context: AudioContext): { isDisconnected: boolean }[] {
  const sources: { isDisconnected: boolean }[] = [];
  const create = context.createMediaStreamSource.bind(context);
  context.createMediaStreamSource = (stream) => {
    const node = create(stream);
    const record = { isDisconnected: false };
    const disconnect = node.disconnect.bind(node) as () => void;
    node.disconnect = (() => {
      record.isDisconnected = true;
      disconnect();
    }) as typeof node.disconnect;
    sources.push(record);
    return node;
  };
  return sources;
}

let devices: TestMediaDevices | undefined;
let sources: { isDisconnected: boolean }[] = [];
const deviceLog = { changes: [] as { deviceId?: string; reason: string }[], errors: [] as string[] };

function postFrame(endpoint: string, frame: { seq: number; sampleRate: number; samples: Int16Array }) {
  void fetch(`${endpoint}?seq=${frame.seq}&rate=${frame.sampleRate}`, {
    method: 'POST',
    body: new Uint8Array(frame.samples.buffer as ArrayBuffer),
  });
}

const api = {
  ...voiceClientApi,
  ...playbackApi,

  /** Opens the fake microphone and POSTs every captured frame to `endpoint?seq=N`. */
  async captureToServer(
    endpoint: string,
    options: { contextRate?: number; processing?: boolean; rnnoiseUrl?: string } = {},
  ) {
    const context = new AudioContext(options.contextRate ? { sampleRate: options.contextRate } : {});
    await unlockAudioContext(context);
    const processing = options.processing ?? true;
    releases.length = 0;
    const noiseSuppression = options.rnnoiseUrl ? await loadRnnoise(fetch(options.rnnoiseUrl)) : undefined;
    capture = await startMicrophoneCapture(context, {
      ...(noiseSuppression ? { noiseSuppression } : {}),
      onReleased: (released) => releases.push(released),
      constraints: processing
        ? {}
        : { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      onFrame: (frame) => {
        void fetch(`${endpoint}?seq=${frame.seq}&rate=${frame.sampleRate}`, {
          method: 'POST',
          body: new Uint8Array(frame.samples.buffer as ArrayBuffer),
        });
      },
    });
    return { contextRate: context.sampleRate };
  },

  stopCapture() {
    capture?.stop();
  },

  /** What the capture worklet reported when it stopped (see `onReleased`). */
  captureReleases() {
    return [...releases];
  },

  /** Like `captureToServer`, through {@link TestMediaDevices}, recording device changes and errors. */
  async captureWithTestDevices(endpoint: string) {
    const context = new AudioContext();
    await unlockAudioContext(context);
    devices = new TestMediaDevices();
    sources = recordSources(context);
    capture = await startMicrophoneCapture(context, {
      mediaDevices: devices as unknown as MediaDevices,
      constraints: { echoCancellation: false, noiseSuppression: false, autoGainControl: false },
      onFrame: (frame) => postFrame(endpoint, frame),
      onDeviceChange: (deviceId, reason) =>
        deviceLog.changes.push({ ...(deviceId ? { deviceId } : {}), reason }),
      onError: (error) => deviceLog.errors.push(`${error.code}/${error.reason}`),
    });
  },

  /** Takes the microphone away: its track ends (as when unplugged), is stopped by page code, or its device leaves the list. */
  loseMicrophone(how: 'ended event' | 'track.stop()' | 'devicechange') {
    const track = devices?.opened.at(-1)?.getAudioTracks()[0];
    if (how === 'ended event') track?.dispatchEvent(new Event('ended'));
    else if (how === 'track.stop()') track?.stop();
    else {
      devices!.hiddenDeviceId = capture?.deviceId;
      devices!.dispatchEvent(new Event('devicechange'));
    }
  },

  /** From now on no microphone can be opened (or, with false, they can again, and one "appears"). */
  refuseMicrophones(isRefusing: boolean) {
    devices!.isRefusing = isRefusing;
    if (!isRefusing) devices!.dispatchEvent(new Event('devicechange'));
  },

  /** What the capture did with devices: changes, errors, each track's state, each source's connection. */
  deviceReport() {
    return {
      ...deviceLog,
      trackStates: devices?.opened.map((s) => s.getAudioTracks()[0]?.readyState) ?? [],
      sourcesDisconnected: sources.map((s) => s.isDisconnected),
    };
  },

  /** Microphones the page can see, and the one in use. */
  async listMicrophones() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    return {
      inUse: capture?.deviceId,
      ids: devices.filter((d) => d.kind === 'audioinput').map((d) => d.deviceId),
    };
  },

  /** Moves the running capture to `deviceId`; reports the typed error, if any. */
  async switchMicrophone(deviceId: string) {
    try {
      await capture?.switchDevice(deviceId);
      return { ok: true as const, inUse: capture?.deviceId };
    } catch (error) {
      const e = error as { code?: string; reason?: string };
      return { ok: false as const, code: e.code, reason: e.reason, inUse: capture?.deviceId };
    }
  },

  /** Opens the microphone and reports the typed error, if any. */
  async openMicrophone(constraints: MediaTrackConstraints = {}) {
    const context = new AudioContext();
    try {
      const opened = await startMicrophoneCapture(context, { constraints, onFrame: () => {} });
      opened.stop();
      return { ok: true as const };
    } catch (error) {
      const e = error as { name?: string; code?: string; reason?: string; message?: string };
      return { ok: false as const, name: e.name, code: e.code, reason: e.reason, message: e.message };
    }
  },
};

Object.assign(window, { voxTest: api });
export type VoxTestApi = typeof api;
export type { PlaybackScenario } from './playback-api';
