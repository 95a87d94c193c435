import { createVoiceSession, type SessionEvent, type VoiceSession, VoxError } from '@voxduplex/core';
import { DemoBrain } from '@voxduplex/demo-brain';
import { concatSamples, SimulatedMicrophone, speakAsUser } from '@voxduplex/offline-e2e';
import { PocketsphinxStt } from '@voxduplex/stt-pocketsphinx';
import { FliteTts } from '@voxduplex/tts-flite';
import { SileroVad } from '@voxduplex/vad-silero';
import { CAFE_INSTRUCTIONS, freeTables } from './cafe';
import { DcMeter, withDcOffset } from './dc-meter';
import { cafePipeline } from './pipeline';
import { ConversationPrinter } from './printer';
import { spokenLine, USER_SCRIPT } from './script';

/** Errors after which the offline run cannot go on: this machine lacks a library or a model. */
const FATAL_CODES = new Set(['system_dependency_missing', 'config_invalid']);
/** Longest wait for one answer; the recognizer may be slow on a busy machine. */
const STEP_TIMEOUT_MS = 90_000;
const MIC_DC_OFFSET = 2000;

/**
 * The conversation on the local engines, in real time: a scripted user (Flite's `rms` voice,
 * through a microphone with a DC offset) talks to PocketSphinx (endpointed by Silero VAD); the
 * café pipeline answers; Flite `slt` speaks. Rejects with the session's error when an engine
 * cannot run here (`code: 'system_dependency_missing'`).
 */
export async function runOffline(language: 'en' | 'es'): Promise<void> {
  const userAudio = await Promise.all(
    USER_SCRIPT.map(async (line) => {
      const parts = await speakAsUser(line.parts, 'rms');
      const pause = new Int16Array(((line.pauseMs ?? 0) * 16000) / 1000);
      return concatSamples(parts.flatMap((part, i) => (i === 0 ? [part] : [pause, part])));
    }),
  );
  const started = performance.now();
  const printer = new ConversationPrinter(() => performance.now() - started);
  const meter = new DcMeter();
  const tts = new FliteTts({ voice: 'slt', poolSize: 1 });
  await tts.warmUp();
  const session = createVoiceSession({
    stt: new PocketsphinxStt({ vad: new SileroVad({ minSilenceMs: 300, pauseMs: 120 }) }),
    llm: new DemoBrain(),
    tts,
    turnDetection: { mode: 'vad', minEndpointDelayMs: 100 },
    preemptiveGeneration: { enabled: true },
    instructions: CAFE_INSTRUCTIONS,
    tools: [freeTables],
    pipeline: cafePipeline({
      language,
      onSpoken: (sentence) => printer.spoken(sentence),
      onFiltered: meter.measure,
    }),
  });
  let fail: (error: unknown) => void = () => {};
  const failure = new Promise<never>((_, reject) => (fail = reject));
  failure.catch(() => {}); // raced below; never an unhandled rejection
  session.events$.subscribe((event) => {
    printer.event(event);
    if (event.type === 'error' && FATAL_CODES.has(event.error.code)) fail(event.error);
  });
  const microphone = new SimulatedMicrophone((chunk) =>
    session.pushAudio({ ...chunk, samples: withDcOffset(chunk.samples, MIC_DC_OFFSET) }),
  );
  microphone.start();
  try {
    for (const [i, line] of USER_SCRIPT.entries()) {
      printer.line('', `— ${line.shows}`);
      printer.line('user', `says "${spokenLine(line)}"`);
      await Promise.race([microphone.say(userAudio[i]!), failure]);
      const answered = nextEvent(session, (e) => e.type === 'speech-end' && !e.interrupted);
      await within(Promise.race([answered, failure]), `the answer to "${spokenLine(line)}"`);
      if (session.state.agent !== 'listening') {
        const listening = nextEvent(session, (e) => e.type === 'state' && e.state.agent === 'listening');
        await within(listening, 'the agent to listen again');
      }
    }
    printer.line('mic', `DC offset ${MIC_DC_OFFSET}; ${meter.summary()}`);
    printer.history(session.history);
  } finally {
    microphone.stop();
    session.close('demo finished');
    await tts.close();
  }
}

/** True for the error an engine reports when a system library or model file is missing. */
export function isMissingDependency(error: unknown): error is VoxError {
  return VoxError.isInstance(error) && error.code === 'system_dependency_missing';
}

function nextEvent(
  session: VoiceSession,
  predicate: (event: SessionEvent) => boolean,
): Promise<SessionEvent> {
  return new Promise((resolve) => {
    const subscription = session.events$.subscribe((event) => {
      if (!predicate(event)) return;
      subscription.unsubscribe();
      resolve(event);
    });
  });
}

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`gave up waiting ${STEP_TIMEOUT_MS / 1000} s for ${what}`)),
      STEP_TIMEOUT_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
