import type { grpc } from 'google-gax';
import type { RecordedCall } from './call-record';
import type { ScriptedStatus, SynthesizeScenario } from './scenario';
import { synthesizedPcm, wavHeader } from './synthesized-audio';

const INVALID_ARGUMENT = 3;
const HALF_CLOSE_GRACE_MS = 20;
const DEFAULT_SAMPLE_RATE = 24000;

interface Voice {
  name?: string;
  languageCode?: string;
}
interface StreamingSynthesizeRequest {
  streamingRequest?: 'streamingConfig' | 'input';
  streamingConfig?: {
    voice?: Voice;
    streamingAudioConfig?: { audioEncoding?: string; sampleRateHertz?: number };
  };
  input?: { text?: string };
}
interface SynthesizeSpeechRequest {
  input?: { text?: string; ssml?: string };
  voice?: Voice;
  audioConfig?: { audioEncoding?: string; sampleRateHertz?: number };
}

const defaultIsStreamingVoice = (name: string) => /Chirp3-HD|Chirp-HD|Journey/.test(name);

function statusError(status: ScriptedStatus): Error & ScriptedStatus {
  return Object.assign(new Error(status.details), status);
}

/** Serves one `StreamingSynthesize` call: audio per input text, in order, paced by the scenario. */
export function handleStreamingSynthesize(
  call: grpc.ServerDuplexStream<StreamingSynthesizeRequest, { audioContent: Buffer }>,
  record: RecordedCall,
  scenario: SynthesizeScenario,
): void {
  const msPerChar = scenario.msPerChar ?? 40;
  const responseBytes = scenario.responseBytes ?? 9600;
  const isStreamingVoice = scenario.isStreamingVoice ?? defaultIsStreamingVoice;
  let sampleRate: number | undefined;
  let isOver = false;
  let hasInputEnded = false;
  const queue: string[] = [];
  let isSpeaking = false;
  let timer: NodeJS.Timeout | undefined;

  const finish = (state: RecordedCall['state']) => {
    isOver = true;
    clearTimeout(timer);
    if (record.state === 'open') record.state = state;
  };
  const fail = (status: ScriptedStatus) => {
    if (isOver) return;
    finish('failed');
    record.status = status;
    call.emit('error', statusError(status));
  };
  const speak = async () => {
    if (isSpeaking) return;
    isSpeaking = true;
    while (!isOver && queue.length > 0) {
      const pcm = synthesizedPcm(queue.shift()!, sampleRate!, msPerChar);
      for (let at = 0; at < pcm.length && !isOver; at += responseBytes) {
        if (scenario.responseIntervalMs) {
          await new Promise<void>((resolve) => {
            timer = setTimeout(resolve, scenario.responseIntervalMs);
          });
          if (isOver) break;
        }
        const piece = pcm.subarray(at, at + responseBytes);
        record.audioMs += (piece.length / 2 / sampleRate!) * 1000;
        call.write({ audioContent: piece });
      }
    }
    isSpeaking = false;
    if (!isOver && hasInputEnded) {
      finish('ok');
      call.end();
    }
  };

  call.on('cancelled', () => finish('cancelled'));
  call.on('data', (request: StreamingSynthesizeRequest) => {
    if (isOver) return;
    if (sampleRate === undefined) {
      const config = request.streamingConfig;
      if (request.streamingRequest !== 'streamingConfig' || !config?.voice) {
        fail({
          code: INVALID_ARGUMENT,
          details: 'The first request must hold streaming_config with a voice.',
        });
        return;
      }
      record.config = config;
      if (scenario.rejectWith) {
        fail(scenario.rejectWith);
        return;
      }
      const voiceName = config.voice.name ?? '';
      if (!isStreamingVoice(voiceName)) {
        fail({
          code: INVALID_ARGUMENT,
          details: `Voice '${voiceName}' does not support streaming synthesis.`,
        });
        return;
      }
      const encoding = config.streamingAudioConfig?.audioEncoding ?? 'PCM';
      if (encoding !== 'PCM' && encoding !== 'LINEAR16') {
        fail({ code: INVALID_ARGUMENT, details: `The emulator only streams PCM, not ${encoding}.` });
        return;
      }
      sampleRate = config.streamingAudioConfig?.sampleRateHertz || DEFAULT_SAMPLE_RATE;
      return;
    }
    const text = request.input?.text ?? '';
    record.texts.push(text);
    queue.push(text);
    void speak();
  });
  call.on('end', () => {
    // A client cancel (RST_STREAM) also ends the read side a few ms before 'cancelled' fires: wait a
    // little before taking this for a half-close.
    setTimeout(() => {
      if (isOver) return;
      if (call.cancelled) {
        finish('cancelled');
        return;
      }
      hasInputEnded = true;
      if (sampleRate === undefined) {
        finish('ok');
        call.end();
        return;
      }
      void speak();
    }, HALF_CLOSE_GRACE_MS);
  });
}

/** Serves one unary `SynthesizeSpeech` call: LINEAR16 comes with a WAV header, PCM without. */
export function handleSynthesizeSpeech(
  call: grpc.ServerUnaryCall<SynthesizeSpeechRequest, { audioContent: Buffer }>,
  callback: grpc.sendUnaryData<{ audioContent: Buffer }>,
  record: RecordedCall,
  scenario: SynthesizeScenario,
): void {
  const request = call.request;
  record.config = { voice: request.voice, audioConfig: request.audioConfig };
  const reply = (status: ScriptedStatus | undefined, audio?: Buffer) => {
    if (record.state !== 'open') return;
    record.state = status ? 'failed' : 'ok';
    if (status) record.status = status;
    callback(status ? statusError(status) : null, audio ? { audioContent: audio } : undefined);
  };
  call.on('cancelled', () => {
    if (record.state === 'open') record.state = 'cancelled';
  });
  if (scenario.rejectWith) {
    reply(scenario.rejectWith);
    return;
  }
  const text = request.input?.text ?? request.input?.ssml ?? '';
  record.texts.push(text);
  const encoding = request.audioConfig?.audioEncoding ?? 'AUDIO_ENCODING_UNSPECIFIED';
  if (encoding !== 'LINEAR16' && encoding !== 'PCM') {
    reply({
      code: INVALID_ARGUMENT,
      details: `The emulator only makes LINEAR16 and PCM, not ${encoding}.`,
    });
    return;
  }
  const sampleRate = request.audioConfig?.sampleRateHertz || DEFAULT_SAMPLE_RATE;
  const pcm = synthesizedPcm(text, sampleRate, scenario.msPerChar ?? 40);
  record.audioMs = (pcm.length / 2 / sampleRate) * 1000;
  const audio = encoding === 'LINEAR16' ? Buffer.concat([wavHeader(pcm.length, sampleRate), pcm]) : pcm;
  const delay = scenario.responseIntervalMs ?? 0;
  if (delay > 0) setTimeout(() => reply(undefined, audio), delay);
  else reply(undefined, audio);
}
