// Phone calls through the Twilio emulator (`@voxduplex/telephony`), all on 127.0.0.1:
// - `telephony.overhead_per_frame_us`: decode a caller frame (μ-law 8 kHz → 16 kHz) plus encode
//   an agent frame (16 kHz → μ-law 8 kHz), per 20 ms, p50 / p99 over 20 000 frames.
// - `telephony.clear_after_commit_ms`: the session commits an interruption (`interrupt()`, its
//   `interrupt` control goes out on the lane) → the `clear` reaches the emulated Twilio, 40 times at
//   spread points of a reply (fake providers).
// - `telephony.heard_text_errors`: for those 40 cuts, the history's heard text against the words
//   whose audio had started in what the emulated caller heard before the clear (the cut frame
//   included up to the clear). A word starting within 20 ms of the cut, on the other side, is
//   counted apart as `within_one_frame` (the session's position is the last echo plus the time
//   since, so what travels meanwhile can put it a few ms off); anything else is an error.
// - `telephony.sessions_per_core`: concurrent calls, each hearing a reply non-stop while its caller
//   streams, all in this one Node thread (server and emulators share it, so it is a floor); the
//   largest count whose late frames (sent after the line ran dry though ready) stay under 1 %.
// - `telephony.v2v_ms.p50` / `.p95`: the caller's voice ends (the emulator sends the frame with the
//   last voiced sample) → the first agent `media` reaches the emulator, on the offline stack with
//   the example's grammar, over the Twilio emulator. `telephony.v2v_ms.socketio.*`: the same stack
//   and questions over the Socket.IO transport (`attachVoiceAgent` + `connectVoiceAgent` on
//   127.0.0.1, a simulated microphone sending 20 ms frames in real time; first audio = the first
//   `agent-audio` the client gets): the reference, so the difference is what the phone path adds.
//   `telephony.v2v_ms.telnyx.*`: the same over the Telnyx emulator (PCMU, every 5th caller frame two
//   frames late and every 7th twice, so the reorder buffer works). `.in_process.*`: fed in
//   process, no transport at all.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createVoiceSession, type VoiceSession } from '@voxduplex/core';
import { sineTone } from '@voxduplex/core/testing';
import { createLocalStack, type LocalStack } from '@voxduplex/local';
import { SimulatedMicrophone, speakAsUser } from '@voxduplex/offline-e2e';
import {
  AgentAudioEncoder,
  attachPhoneAgent,
  CallerAudioDecoder,
  encodeMulaw,
  telnyxSerializer,
} from '@voxduplex/telephony';
import { type EmulatedCall, EmulatedTelnyxCall, EmulatedTwilioCall } from '@voxduplex/telephony/testing';
import { attachVoiceAgent, voiceServerOptions } from '@voxduplex/transport-socketio';
import { connectVoiceAgent } from '@voxduplex/transport-socketio/client';
import { Server as SocketIoServer } from 'socket.io';
import { PHONE_GRAMMAR } from '../examples/telephony/src/phone-server';
import { agentListening, nextEvent, sleep } from '../packages/offline-e2e/test/conversation';
import { phoneHarness } from '../packages/telephony/test/harness';
import { type BenchResult, quantile, quantileResults, report, result } from './harness';

const load = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');

function measureCodec(): { p50: number; p99: number } {
  const decoder = new CallerAudioDecoder(16_000);
  const encoder = new AgentAudioEncoder(16_000);
  const callerFrame = encodeMulaw(sineTone(20, 8000, { frequencyHz: 300 }));
  const agentFrame = sineTone(20, 16_000, { frequencyHz: 440 });
  const micros: number[] = [];
  for (let i = 0; i < 22_000; i++) {
    const start = performance.now();
    decoder.decode(callerFrame);
    encoder.encode(agentFrame);
    if (i >= 2000) micros.push((performance.now() - start) * 1000); // after JIT warm-up
  }
  return { p50: quantile(micros, 0.5), p99: quantile(micros, 0.99) };
}

const CUT_TEXT =
  'one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty';

/** The words whose audio had started by `ms` (fake TTS: 60 ms a character, word timings on). */
function wordsStartedBy(text: string, ms: number): string {
  const words = text.split(' ');
  return words.filter((_, i) => words.slice(0, i).join(' ').length + (i > 0 ? 1 : 0) < ms / 60).join(' ');
}

async function measureBargeIns() {
  const h = await phoneHarness({ msPerChar: 60 });
  const clearMs: number[] = [];
  let exact = 0;
  let withinOneFrame = 0;
  let errors = 0;
  try {
    const call = await h.dial();
    await call.waitFor(() => h.sessions.length === 1, 5000, 'session');
    const session = h.sessions[0]!;
    for (let i = 0; i < 40; i++) {
      const heardBefore = call.heard.length;
      const clearsBefore = call.clears.length;
      const speechId = session.say(CUT_TEXT);
      const ended = nextEvent(session, 'speech-end', (e) => e.speechId === speechId);
      const cutAtMs = 200 + ((i * 97) % 1800);
      await call.waitFor(() => (call.heard.length - heardBefore) * 20 >= cutAtMs, 10_000, 'audio heard');
      const committedAt = call.now();
      session.interrupt();
      await call.waitFor(() => call.clears.length > clearsBefore, 5000, 'clear');
      clearMs.push(call.clears[clearsBefore]! - committedAt);
      const { heardText } = await ended;
      await sleep(60);
      const heardMs = call.heard.slice(heardBefore).reduce((ms, frame) => ms + frame.durationMs, 0);
      if (heardText === wordsStartedBy(CUT_TEXT, heardMs)) exact++;
      else if ([heardMs - 20, heardMs + 20].some((ms) => heardText === wordsStartedBy(CUT_TEXT, ms)))
        withinOneFrame++;
      else {
        errors++;
        console.log(`  cut ${i}: caller heard ${heardMs.toFixed(1)} ms; history says "${heardText}"`);
      }
    }
  } finally {
    await h.close();
  }
  return { clearMs, exact, withinOneFrame, errors };
}

async function lateShareAt(calls: number): Promise<{ lateShare: number; loopP99: number }> {
  const h = await phoneHarness({ msPerChar: 60 });
  try {
    const dialled = await Promise.all(Array.from({ length: calls }, () => h.dial()));
    await dialled[0]!.waitFor(() => h.sessions.length === calls, 20_000, 'sessions');
    // Each agent talks for the whole run (a 15 s say), so every line carries audio both ways.
    for (const session of h.sessions) session.say('la '.repeat(80));
    await sleep(1500);
    const before = h.phone.stats();
    const delay = monitorEventLoopDelay({ resolution: 10 });
    delay.enable();
    await sleep(5000);
    delay.disable();
    const after = h.phone.stats();
    const sent = after.framesSent - before.framesSent;
    const expected = calls * 250; // 5 s of 20 ms frames per call
    // Frames never sent in time count as late too (a server too slow to keep up sends fewer).
    const late = after.lateFrames - before.lateFrames + Math.max(0, expected - sent);
    return { lateShare: late / expected, loopP99: delay.percentile(99) / 1e6 };
  } finally {
    await h.close();
  }
}

async function measureCapacity(): Promise<{ calls: number; lateShare: number; loopP99: number }> {
  let best = { calls: 0, lateShare: 0, loopP99: 0 };
  for (const calls of [25, 50, 100, 150, 200, 300]) {
    const { lateShare, loopP99 } = await lateShareAt(calls);
    console.log(
      `telephony: ${calls} calls: ${(lateShare * 100).toFixed(2)} % late frames, event loop p99 ${loopP99.toFixed(1)} ms`,
    );
    if (lateShare >= 0.01) break;
    best = { calls, lateShare, loopP99 };
  }
  return best;
}

const QUESTIONS = ['what time is it', 'hello there', 'what is the weather like', 'please tell me a story'];

function grammarStack(): LocalStack {
  return createLocalStack({ stt: { search: { type: 'jsgf-text', grammar: PHONE_GRAMMAR } }, ttsPoolSize: 1 });
}

/** How one path hears the caller: say a question, then when the first reply audio came out. */
interface TurnPath {
  readonly session: VoiceSession;
  /** Speaks; resolves when the caller's voice ended (`performance.now()`). */
  say(question: Int16Array): Promise<number>;
  /** Starts watching now; resolves when the reply's first audio came out (`performance.now()`). */
  firstAudio(): Promise<number>;
}

/** Voice end → first reply audio, per question; each reply is cut once its audio came. */
async function measureTurns(path: TurnPath, questions: readonly Int16Array[]) {
  const v2v: number[] = [];
  let missed = 0;
  await sleep(2000); // the decoder loads while the line sends silence
  for (const question of questions) {
    const firstAudio = path.firstAudio();
    firstAudio.catch(() => {});
    const voiceEndedAt = await path.say(question);
    try {
      v2v.push((await firstAudio) - voiceEndedAt);
      path.session.interrupt();
    } catch {
      missed++; // nothing recognized (or no reply) in time
    }
    await agentListening(path.session, 20_000).catch(() => {});
    await sleep(600);
  }
  return { v2v, missed };
}

/** A carrier emulator dialling `/<carrier>/stream`; its call id is the session's key in `calls`. */
type Dial = (url: string) => Promise<{ readonly call: EmulatedCall; readonly callId: string }>;

const dialTwilio: Dial = async (url) => {
  const call = await EmulatedTwilioCall.dial({ url: `${url}/twilio/stream` });
  return { call, callId: call.callSid };
};

const dialTelnyx: Dial = async (url) => {
  const call = await EmulatedTelnyxCall.dial({
    url: `${url}/telnyx/stream`,
    disorder: { outOfOrderEvery: 5, duplicateEvery: 7, displacement: 2 },
  });
  return { call, callId: call.callControlId };
};

/** The phone path: the emulator dials an `attachPhoneAgent` server; first audio = first `media` received. */
async function phoneV2v(stack: LocalStack, questions: readonly Int16Array[], carrier: 'twilio' | 'telnyx') {
  const http = createServer();
  const phone = attachPhoneAgent(http, {
    allowAnonymous: true,
    ...(carrier === 'telnyx' ? { serializer: telnyxSerializer() } : {}),
    createSession: () => createVoiceSession({ ...stack.sessionConfig, instructions: 'x' }),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const { call, callId } = await (carrier === 'telnyx' ? dialTelnyx : dialTwilio)(`ws://127.0.0.1:${port}`);
  try {
    await call.waitFor(() => phone.calls.size === 1, 10_000, 'session');
    const dialledAt = performance.now() - call.now();
    const turns = await measureTurns(
      {
        session: phone.calls.get(callId)!,
        say: async (question) => (await call.say(question, 16_000)).voiceEndedAt,
        firstAudio: async () => {
          const from = call.received.length;
          const media = () => call.received.slice(from).find(({ message }) => message.event === 'media');
          await call.waitFor(() => media() !== undefined, 20_000, 'reply audio');
          return dialledAt + media()!.atMs;
        },
      },
      questions,
    );
    const { callerFramesReordered, callerFramesDropped, callerFramesFilled } = phone.stats();
    if (carrier === 'telnyx')
      console.log(
        `telephony: telnyx caller frames reordered ${callerFramesReordered}, dropped ${callerFramesDropped}, filled ${callerFramesFilled}`,
      );
    return turns;
  } finally {
    call.hangUp();
    phone.close();
    http.closeAllConnections();
    await new Promise((resolve) => http.close(resolve));
  }
}

/** The reference: the same stack behind the Socket.IO transport, a simulated microphone on the client. */
async function socketIoV2v(stack: LocalStack, questions: readonly Int16Array[]) {
  const http = createServer();
  const io = new SocketIoServer(http, voiceServerOptions());
  const sessions: VoiceSession[] = [];
  const agent = attachVoiceAgent(io.of('/voice'), {
    allowAnonymous: true,
    createSession: () => {
      const session = createVoiceSession({ ...stack.sessionConfig, instructions: 'x' });
      sessions.push(session);
      return session;
    },
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  const client = connectVoiceAgent(`http://127.0.0.1:${port}/voice`);
  const audioAt: number[] = [];
  client.on('agent-audio', () => audioAt.push(performance.now()));
  const microphone = new SimulatedMicrophone((chunk) => client.sendAudio(chunk.samples));
  try {
    await new Promise<void>((resolve) => {
      const off = client.on('ready', () => {
        off();
        resolve();
      });
    });
    microphone.start();
    return await measureTurns(
      {
        session: sessions[0]!,
        say: async (question) => (await microphone.say(question)).voiceEndedAt,
        firstAudio: async () => {
          const from = audioAt.length;
          const deadline = performance.now() + 20_000;
          while (audioAt.length === from) {
            if (performance.now() > deadline) throw new Error('no reply audio');
            await sleep(5);
          }
          return audioAt[from]!;
        },
      },
      questions,
    );
  } finally {
    microphone.stop();
    client.close();
    agent.close();
    await new Promise((resolve) => io.close(resolve));
  }
}

/** The same stack fed in process by a simulated microphone; first audio = first `audio` event. */
async function inProcessV2v(stack: LocalStack, questions: readonly Int16Array[]) {
  const session = createVoiceSession({ ...stack.sessionConfig, instructions: 'x' });
  const microphone = new SimulatedMicrophone((chunk) => session.pushAudio(chunk));
  microphone.start();
  try {
    return await measureTurns(
      {
        session,
        say: async (question) => (await microphone.say(question)).voiceEndedAt,
        firstAudio: () => nextEvent(session, 'audio', () => true, 20_000).then(() => performance.now()),
      },
      questions,
    );
  } finally {
    microphone.stop();
    session.close('bench over');
  }
}

export default async function telephonyBench(): Promise<readonly BenchResult[]> {
  console.log(`telephony: load average before ${load()}`);
  const codec = measureCodec();
  const cuts = await measureBargeIns();
  console.log(
    `telephony: 40 cuts: heard text exact ${cuts.exact}, within one frame ${cuts.withinOneFrame}, wrong ${cuts.errors}`,
  );
  const capacity = await measureCapacity();
  const rms = await speakAsUser(QUESTIONS, 'rms');
  const awb = await speakAsUser(QUESTIONS, 'awb');
  const questions = [0, 1].flatMap(() => QUESTIONS.flatMap((_, i) => [rms[i]!, awb[i]!]));
  const stack = grammarStack();
  type Turns = { v2v: number[]; missed: number };
  let phone: Turns;
  let socketIo: Turns;
  let telnyx: Turns;
  let inProcess: Turns;
  const loadDuringV2v = load();
  try {
    await stack.warmUp();
    phone = await phoneV2v(stack, questions, 'twilio');
    socketIo = await socketIoV2v(stack, questions);
    telnyx = await phoneV2v(stack, questions, 'telnyx');
    inProcess = await inProcessV2v(stack, questions);
  } finally {
    await stack.close();
  }
  const loadAfter = load();
  const answered = (name: string, turns: Turns) => `${name} ${turns.v2v.length} (missed ${turns.missed})`;
  console.log(
    `telephony: v2v turns answered: ${[
      answered('twilio', phone),
      answered('socket.io', socketIo),
      answered('telnyx', telnyx),
      answered('in process', inProcess),
    ].join(', ')}; load average before v2v ${loadDuringV2v}, after ${loadAfter}`,
  );
  // A phone call's voice-to-voice goal: the Socket.IO reference plus the pacing lead.
  const WITHIN_PACING_LEAD = '<= socket.io + 200 (the pacing lead)';
  const v2vResults = (metric: string, v2v: readonly number[], goal: string) =>
    quantileResults(metric, v2v, 'ms', { p50: goal, p95: goal });
  const results = [
    result('telephony.overhead_per_frame_us.p50', codec.p50, 'µs', 'reference'),
    result('telephony.overhead_per_frame_us.p99', codec.p99, 'µs', '< 200'),
    ...quantileResults('telephony.clear_after_commit_ms', cuts.clearMs, 'ms', {
      p50: 'reference',
      p99: '< 5',
    }),
    result('telephony.heard_text_errors', cuts.errors, 'cuts of 40', '= 0'),
    result('telephony.heard_text_within_one_frame', cuts.withinOneFrame, 'cuts of 40', 'reference'),
    result('telephony.sessions_per_core', capacity.calls, 'calls', '>= 50 (< 1 % late frames)'),
    result('telephony.sessions_per_core.late_frames_pct', capacity.lateShare * 100, '%', '< 1'),
    ...v2vResults('telephony.v2v_ms', phone.v2v, WITHIN_PACING_LEAD),
    ...v2vResults('telephony.v2v_ms.socketio', socketIo.v2v, 'reference'),
    ...v2vResults('telephony.v2v_ms.telnyx', telnyx.v2v, WITHIN_PACING_LEAD),
    ...v2vResults('telephony.v2v_ms.in_process', inProcess.v2v, 'reference'),
    result(
      'telephony.v2v_ms.turns_missed',
      phone.missed + socketIo.missed + telnyx.missed,
      'turns',
      'reference',
    ),
    result('telephony.load_average_1m', Number(loadAfter.split(' ')[0]), 'load', 'reference (2 cores)'),
  ];
  report('telephony', results);
  return results;
}
