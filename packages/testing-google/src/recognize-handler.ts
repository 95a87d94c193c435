import type { grpc } from 'google-gax';
import type { RecordedCall } from './call-record';
import { googleStatusText, type RecognizeScenario, type ScriptedStatus } from './scenario';
import { retryInfoMetadata } from './status-details';
import { type RecognizeResponse, TokenRecognizer } from './token-recognizer';

const OUT_OF_RANGE = 11;
const INVALID_ARGUMENT = 3;
const HALF_CLOSE_GRACE_MS = 20;

interface RecognizeRequest {
  streamingRequest?: 'streamingConfig' | 'audioContent';
  streamingConfig?: {
    config?: {
      sampleRateHertz?: number;
      languageCode?: string;
      enableWordTimeOffsets?: boolean;
      encoding?: string;
    };
    interimResults?: boolean;
    enableVoiceActivityEvents?: boolean;
  };
  audioContent?: Buffer;
}

export interface RecognizeHooks {
  readonly record: RecordedCall;
  readonly scenario: RecognizeScenario;
  readonly killServer: () => void;
}

/** Serves one `StreamingRecognize` call from token audio, following its scenario. */
export function handleStreamingRecognize(
  call: grpc.ServerDuplexStream<RecognizeRequest, RecognizeResponse>,
  { record, scenario, killServer }: RecognizeHooks,
): void {
  const streamLimitMs = scenario.streamLimitMs ?? 305_000;
  const maxChunkBytes = scenario.maxChunkBytes ?? 25_600;
  const audioTimeoutMs = scenario.audioTimeoutMs ?? 10_000;
  let recognizer: TokenRecognizer | undefined;
  let isOver = false;
  let audioTimer: NodeJS.Timeout | undefined;
  let readTimer: NodeJS.Timeout | undefined;
  let firstAudioAt: number | undefined;
  let interims = 0;

  const finish = (state: RecordedCall['state']) => {
    isOver = true;
    clearTimeout(audioTimer);
    clearTimeout(readTimer);
    if (record.state === 'open') record.state = state;
  };
  const fail = (status: ScriptedStatus) => {
    if (isOver) return;
    finish('failed');
    record.status = { code: status.code, details: status.details };
    const metadata =
      status.retryDelayMs === undefined
        ? undefined
        : retryInfoMetadata(status.code, status.details, status.retryDelayMs);
    call.emit(
      'error',
      Object.assign(new Error(status.details), { code: status.code, details: status.details, metadata }),
    );
  };
  const send = (responses: readonly RecognizeResponse[]) => {
    for (const response of responses) {
      if (isOver) return;
      for (const result of response.results) {
        if (result.isFinal) record.finals.push(result.alternatives[0]?.transcript ?? '');
      }
      call.write(response);
      const dropAfter = scenario.failAfterInterims;
      if (dropAfter && response.results.some((r) => !r.isFinal) && ++interims >= dropAfter.afterInterims) {
        fail(dropAfter);
      }
    }
  };
  // Reading no faster than readSpeed × real time: pausing the call stops reading from the
  // HTTP/2 stream, so a client sending faster fills the flow-control window and waits.
  const holdBackReading = () => {
    const speed = scenario.readSpeed;
    if (speed === undefined || isOver) return;
    firstAudioAt ??= performance.now();
    const aheadMs = record.audioMs / speed - (performance.now() - firstAudioAt);
    if (aheadMs <= 0) return;
    call.pause();
    readTimer = setTimeout(() => call.resume(), aheadMs);
  };
  const armAudioTimer = () => {
    clearTimeout(audioTimer);
    audioTimer = setTimeout(
      () => fail({ code: OUT_OF_RANGE, details: googleStatusText.audioTimeout }),
      audioTimeoutMs,
    );
  };

  call.on('cancelled', () => finish('cancelled'));
  call.on('error', () => finish(record.state === 'open' ? 'failed' : record.state));
  call.on('data', (request: RecognizeRequest) => {
    if (isOver) return;
    if (recognizer === undefined) {
      const streamingConfig = request.streamingConfig;
      if (request.streamingRequest !== 'streamingConfig' || !streamingConfig?.config) {
        fail({
          code: INVALID_ARGUMENT,
          details: 'Invalid recognition config: the first request must hold streaming_config.',
        });
        return;
      }
      record.config = streamingConfig;
      if (scenario.rejectWith) {
        fail(scenario.rejectWith);
        return;
      }
      const config = streamingConfig.config;
      recognizer = new TokenRecognizer(
        {
          sampleRate: config.sampleRateHertz ?? 16000,
          interimResults: streamingConfig.interimResults ?? false,
          voiceActivityEvents: streamingConfig.enableVoiceActivityEvents ?? false,
          wordTimeOffsets: config.enableWordTimeOffsets ?? false,
          languageCode: config.languageCode ?? 'en-US',
        },
        scenario,
      );
      armAudioTimer();
      return;
    }
    const audio = request.audioContent ?? Buffer.alloc(0);
    record.chunkBytes.push(audio.length);
    record.chunkAt.push(performance.now());
    if (audio.length > maxChunkBytes) {
      fail({ code: INVALID_ARGUMENT, details: googleStatusText.chunkTooLarge(audio.length) });
      return;
    }
    armAudioTimer();
    send(recognizer.push(audio));
    record.audioMs = recognizer.positionMs;
    holdBackReading();
    if (isOver) return;
    if (scenario.failAt && record.audioMs >= scenario.failAt.atAudioMs) {
      fail(scenario.failAt);
    } else if (scenario.killServerAtAudioMs !== undefined && record.audioMs >= scenario.killServerAtAudioMs) {
      finish('killed');
      killServer();
    } else if (record.audioMs > streamLimitMs) {
      fail({ code: OUT_OF_RANGE, details: googleStatusText.streamTooLong });
    }
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
      if (recognizer) send(recognizer.flush());
      finish('ok');
      call.end();
    }, HALF_CLOSE_GRACE_MS);
  });
}
