import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createVoiceSession, type VoiceSession, type VoiceSessionConfig } from '@voxduplex/core';
import {
  FakeLlm,
  type FakeLlmOptions,
  FakeStt,
  FakeTts,
  recordingLogger,
  type ScriptedUtterance,
} from '@voxduplex/core/testing';
import { afterEach } from 'vitest';
import {
  type AttachPhoneAgentOptions,
  attachPhoneAgent,
  type PhoneAgentServer,
  telnyxSerializer,
} from '../src/index';
import {
  type EmulatedCall,
  type EmulatedCallOptions,
  EmulatedTelnyxCall,
  type EmulatedTelnyxCallOptions,
  EmulatedTwilioCall,
} from '../src/testing/index';

export interface PhoneHarnessOptions {
  /** What the caller says, on the audio timeline of the session (ms since its first frame). */
  readonly utterances?: readonly ScriptedUtterance[];
  readonly llm?: Omit<FakeLlmOptions, 'scheduler'>;
  /** Agent speech pace: ms of audio per character (default 60). */
  readonly msPerChar?: number;
  readonly session?: Partial<VoiceSessionConfig>;
  readonly phone?: Partial<AttachPhoneAgentOptions>;
  /** Said when the call starts. */
  readonly greeting?: string;
  /** Whose media streams the server speaks (default Twilio's). */
  readonly carrier?: 'twilio' | 'telnyx';
}

/**
 * A phone agent on 127.0.0.1 (port 0) answering with fake providers in real time, and a way to
 * dial it through the Twilio (or Telnyx) emulator. `close()` hangs up everything and closes the server.
 */
export async function phoneHarness(options: PhoneHarnessOptions = {}) {
  const stt = new FakeStt({ utterances: options.utterances ?? [], finalDelayMs: 100 });
  const llm = new FakeLlm({ ttftMs: 100, tokensPerSecond: 200, reply: 'Sure.', ...options.llm });
  const tts = new FakeTts({
    ttfbMs: 50,
    msPerChar: options.msPerChar ?? 60,
    chunkMs: 100,
    realtimeFactor: 0.2,
    wordTimings: true,
  });
  const sessions: VoiceSession[] = [];
  const { logger, lines } = recordingLogger();
  const http: Server = createServer();
  let createSessionCalls = 0;
  /** The caller audio each session was given, in order (PCM at the STT's rate). */
  const callerAudio: Int16Array[][] = [];
  const carrier = options.carrier ?? 'twilio';
  const phone: PhoneAgentServer = attachPhoneAgent(http, {
    allowAnonymous: true,
    ...(carrier === 'telnyx' ? { serializer: telnyxSerializer() } : {}),
    logger,
    createSession: () => {
      createSessionCalls++;
      const session = createVoiceSession({
        stt,
        llm,
        tts,
        instructions: 'You answer the phone.',
        ...options.session,
      });
      sessions.push(session);
      const received: Int16Array[] = [];
      callerAudio.push(received);
      const pushAudio = session.pushAudio.bind(session);
      session.pushAudio = (input) => {
        received.push(input.samples);
        pushAudio(input);
      };
      if (options.greeting) session.say(options.greeting);
      return session;
    },
    ...(options.phone as object),
  } as AttachPhoneAgentOptions);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/${carrier}/stream`;
  const calls: EmulatedCall[] = [];
  return {
    stt,
    llm,
    tts,
    sessions,
    callerAudio,
    phone,
    lines,
    url,
    get createSessionCalls() {
      return createSessionCalls;
    },
    async dial(extra: Partial<EmulatedCallOptions> = {}): Promise<EmulatedTwilioCall> {
      const call = await EmulatedTwilioCall.dial({ url, ...extra });
      calls.push(call);
      return call;
    },
    async dialTelnyx(extra: Partial<EmulatedTelnyxCallOptions> = {}): Promise<EmulatedTelnyxCall> {
      const call = await EmulatedTelnyxCall.dial({ url, ...extra });
      calls.push(call);
      return call;
    },
    /** Every provider stream and call closed. */
    openResources() {
      return {
        stt: stt.streams.open,
        llm: llm.streams.open,
        tts: tts.streams.open,
        calls: phone.stats().activeCalls,
        sessions: phone.calls.size,
      };
    },
    async close() {
      for (const call of calls) call.dropConnection();
      phone.close();
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

export type PhoneHarness = Awaited<ReturnType<typeof phoneHarness>>;

/** What {@link PhoneHarness.openResources} says once every call and provider stream is closed. */
export const ALL_CLOSED = { stt: 0, llm: 0, tts: 0, calls: 0, sessions: 0 };

/** A `phoneHarness` per test, closed after each (call it at the top of a test file). */
export function phoneHarnessPerTest(): (options?: PhoneHarnessOptions) => Promise<PhoneHarness> {
  let open: PhoneHarness | undefined;
  afterEach(async () => {
    await open?.close();
    open = undefined;
  });
  return async (options) => {
    open = await phoneHarness(options);
    return open;
  };
}
