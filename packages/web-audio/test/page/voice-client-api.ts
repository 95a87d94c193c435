// Page side of the end-to-end tests: a createVoiceClient and a log of what it reported.
import type { AudioEndMessage, ReadyMessage } from '@voxduplex/transport-socketio/client';
import { createVoiceClient, type VoiceClient } from '../../src/client/index';
import type { PlayerEvent } from '../../src/index';

let client: VoiceClient | undefined;
/** Every microphone stream the client opened, through its `mediaDevices` option. */
const streams: MediaStream[] = [];
const recordingMediaDevices = {
  getUserMedia: async (constraints: MediaStreamConstraints) => {
    const stream = await navigator.mediaDevices.getUserMedia(constraints);
    streams.push(stream);
    return stream;
  },
  enumerateDevices: () => navigator.mediaDevices.enumerateDevices(),
  addEventListener: (type: string, listener: EventListener) =>
    navigator.mediaDevices.addEventListener(type, listener),
  removeEventListener: (type: string, listener: EventListener) =>
    navigator.mediaDevices.removeEventListener(type, listener),
} as unknown as MediaDevices;

const log = {
  ready: [] as ReadyMessage[],
  playback: [] as PlayerEvent[],
  statuses: [] as string[],
  sessionLost: [] as string[],
  errors: [] as string[],
  timeline: [] as string[],
  audioEnds: [] as AudioEndMessage[],
  states: [] as string[],
  microphones: [] as string[],
};

export const voiceClientApi = {
  async startVoiceClient(url: string) {
    client = createVoiceClient({
      url,
      auth: { token: 'good' },
      transport: { reconnectionDelayMs: 100, reconnectionDelayMaxMs: 300 },
      microphone: { mediaDevices: recordingMediaDevices },
    });
    client.on('microphone', ({ reason }) => log.microphones.push(reason));
    client.on('ready', (ready) => log.ready.push(ready));
    client.on('playback', (event) => log.playback.push(event));
    client.on('playback', (event) => log.timeline.push(`${Math.round(performance.now())} ${event.type}`));
    client.on('speech-end', () => log.timeline.push(`${Math.round(performance.now())} speech-end`));
    client.on('audio-end', (end) => log.audioEnds.push(end));
    client.on('state', (s) => log.timeline.push(`${Math.round(performance.now())} state ${s.phase}`));
    client.on('state', (s) => log.states.push(s.agent));
    client.on('status', ({ status }) => log.statuses.push(status));
    client.on('session-lost', ({ reason }) => log.sessionLost.push(reason));
    client.on('error', (error) => log.errors.push(`${error.code}: ${error.message}`));
    await client.start();
  },
  voiceClientReport() {
    return {
      ...log,
      snapshot: client?.snapshot,
      sessionId: client?.transport?.sessionId,
      trackStates: streams.map((s) => s.getAudioTracks()[0]?.readyState),
    };
  },
  /** Ends the microphone track the way an unplugged device does. */
  unplugMicrophone() {
    streams.at(-1)?.getAudioTracks()[0]?.dispatchEvent(new Event('ended'));
  },
  interruptVoiceClient() {
    client?.interrupt();
  },
  stopVoiceClient() {
    client?.stop();
  },
};
