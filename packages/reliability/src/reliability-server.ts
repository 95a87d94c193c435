import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  createVoiceSession,
  type FallbackOptions,
  fallbackLlm,
  fallbackStt,
  fallbackTts,
  type VoiceSession,
  type VoiceSessionConfig,
} from '@voxduplex/core';
import { ResourceCounter } from '@voxduplex/core/testing';
import {
  attachVoiceAgent,
  type TransportLimits,
  type VoiceAgentServer,
  voiceServerOptions,
} from '@voxduplex/transport-socketio';
import { Server } from 'socket.io';
import { CountingScheduler } from './counting-scheduler';
import { FaultTally } from './faults';
import { FaultyLlm, type FaultyLlmOptions } from './faulty-llm';
import { FaultyTts, type FaultyTtsOptions } from './faulty-tts';
import { InBandStt } from './in-band-stt';
import { SessionLedger } from './session-ledger';

/** Session settings a reliability run may change (providers and scheduler are the server's). */
export type ReliabilitySessionConfig = Partial<Omit<VoiceSessionConfig, 'stt' | 'llm' | 'tts' | 'scheduler'>>;

export interface ReliabilityServerOptions {
  /** How long a dropped client may resume, ms. Default 300 (short, so runs end quickly). */
  readonly resumeWindowMs?: number;
  readonly limits?: TransportLimits;
  readonly session?: ReliabilitySessionConfig;
  readonly llm?: Omit<FaultyLlmOptions, 'tally'>;
  readonly tts?: Omit<FaultyTtsOptions, 'tally'>;
  /** Called with each session the server creates. */
  readonly onSessionCreated?: (session: VoiceSession) => void;
  /**
   * Serve through fallback chains: each provider (the primary, which obeys fault words and
   * outages) is chained with a stand-by that ignores fault words (`backups`), failing only
   * while its own `isDown`. Chains probe with short waits (200 ms doubling to 1 s) and give a
   * provider 1 s for its first output, so `stall` and `hang` faults fall back too.
   */
  readonly fallbackChains?: boolean;
}

/** Which primary {@link ReliabilityServer.flap} takes down. */
export type FlapTarget = 'stt' | 'llm' | 'tts';

/** Everything a server still holds open; all zero once every client is gone and sessions ended. */
export interface OpenHandles {
  /** Recognition streams, LLM and TTS requests of the primaries and stand-bys (probes included). */
  readonly sttStreams: number;
  readonly llmRequests: number;
  readonly ttsRequests: number;
  /** Pending timers the sessions and the fallback chains scheduled (through {@link CountingScheduler}s). */
  readonly sessionTimers: number;
  /** Sockets the transport serves (`stats().connectedSockets`). */
  readonly sockets: number;
  /** Engine.IO connections, voice namespace or not. */
  readonly connections: number;
  /** Sessions in the transport's registry (suspended ones included). */
  readonly sessions: number;
  /** Sessions created that have not reported `closed`. */
  readonly unclosedSessions: number;
}

/** The sum of every count in {@link OpenHandles}. */
export function totalOpen(handles: OpenHandles): number {
  return Object.values(handles).reduce((sum: number, n: number) => sum + n, 0);
}

/**
 * A real Socket.IO voice server on 127.0.0.1 (port 0) whose sessions use fault-injecting
 * providers ({@link InBandStt}, {@link FaultyLlm}, {@link FaultyTts}) and a counting scheduler,
 * with the bookkeeping to prove that nothing stays open: {@link openHandles}, the session
 * ledger, the fault tally. Clients authenticate with `auth: { user }` (the identity resume
 * tokens are bound to); any other fields pass through (`tag` names a client for {@link drop}).
 */
export async function startReliabilityServer(options: ReliabilityServerOptions = {}) {
  const faults = new FaultTally();
  const stt = new InBandStt({ tally: faults });
  const llm = new FaultyLlm({ ...options.llm, tally: faults });
  const tts = new FaultyTts({ ...options.tts, tally: faults });
  const timers = new ResourceCounter();
  const backups = options.fallbackChains
    ? {
        stt: new InBandStt({ name: 'in-band-backup', ignoresStreamFaults: true, tally: faults }),
        llm: new FaultyLlm({ ...options.llm, name: 'backup', ignoresFaultWords: true, tally: faults }),
        tts: new FaultyTts({ ...options.tts, name: 'backup', ignoresFaultWords: true, tally: faults }),
      }
    : undefined;
  const chainOptions: FallbackOptions<never> = {
    scheduler: new CountingScheduler(timers),
    firstOutputTimeoutMs: 1000,
    probe: { initialDelayMs: 200, maxDelayMs: 1000, timeoutMs: 2000 },
  };
  const chains = backups
    ? {
        stt: fallbackStt([stt, backups.stt], chainOptions),
        llm: fallbackLlm([llm, backups.llm], chainOptions),
        tts: fallbackTts([tts, backups.tts], chainOptions),
      }
    : undefined;
  const flaps = new Set<ReturnType<typeof setTimeout>>();
  const ledger = new SessionLedger();
  const http = createServer();
  const io = new Server(http, voiceServerOptions(options.limits));
  const voice = io.of('/voice');
  const agent: VoiceAgentServer = attachVoiceAgent(voice, {
    authenticate: ({ auth }) => ({ id: typeof auth.user === 'string' ? auth.user : 'anonymous' }),
    createSession: () => {
      const sessionTimers = new ResourceCounter();
      // Each timer is counted twice: for its session and in the server's total.
      const scheduler = new CountingScheduler(sessionTimers, new CountingScheduler(timers));
      const session = createVoiceSession({
        ...(chains ?? { stt, llm, tts }),
        turnDetection: { minEndpointDelayMs: 30 },
        recognitionRetry: { initialDelayMs: 50, maxDelayMs: 400 },
        ...options.session,
        scheduler,
      });
      ledger.record(session, sessionTimers);
      options.onSessionCreated?.(session);
      return session;
    },
    resumeWindowMs: options.resumeWindowMs ?? 300,
    ...(options.limits ? { limits: options.limits } : {}),
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/voice`,
    io,
    agent,
    stt,
    llm,
    tts,
    /** The stand-bys of the fallback chains (with `fallbackChains`). */
    backups,
    /** The chains the sessions use (with `fallbackChains`). */
    chains,
    faults,
    ledger,
    timers,
    openHandles(): OpenHandles {
      const stats = agent.stats();
      return {
        sttStreams: stt.streams.open + (backups?.stt.streams.open ?? 0),
        llmRequests:
          llm.requests.open +
          llm.innerStreams.open +
          (backups ? backups.llm.requests.open + backups.llm.innerStreams.open : 0),
        ttsRequests:
          tts.requests.open +
          tts.innerOpen +
          (backups ? backups.tts.requests.open + backups.tts.innerOpen : 0),
        sessionTimers: timers.open,
        sockets: stats.connectedSockets,
        connections: io.engine.clientsCount,
        sessions: stats.sessions,
        unclosedSessions: ledger.open().length,
      };
    },
    /** Cuts the connections of the clients whose handshake `tag` is `tag`, as a network failure would. */
    drop(tag: string): number {
      let dropped = 0;
      for (const socket of voice.sockets.values())
        if (socket.handshake.auth?.tag === tag) {
          socket.conn.close();
          dropped++;
        }
      return dropped;
    },
    /**
     * Takes the primary `target` down for `downMs` (a flapping provider); sessions with
     * fallback chains keep being served by the stand-by.
     */
    flap(target: FlapTarget, downMs: number): void {
      const provider = { stt, llm, tts }[target];
      provider.isDown = true;
      const timer = setTimeout(() => {
        flaps.delete(timer);
        provider.isDown = false;
      }, downMs);
      flaps.add(timer);
    },
    /** Ends every flap at once: the primaries are up. */
    steady(): void {
      for (const timer of flaps) clearTimeout(timer);
      flaps.clear();
      stt.isDown = llm.isDown = tts.isDown = false;
    },
    /** Switches and recoveries of the fallback chains so far (0 without them). */
    providerHealth(): { switches: number; recoveries: number } {
      const stats = chains ? [chains.stt.stats(), chains.llm.stats(), chains.tts.stats()] : [];
      return {
        switches: stats.reduce((sum, s) => sum + s.switches, 0),
        recoveries: stats.reduce((sum, s) => sum + s.recoveries, 0),
      };
    },
    async close(): Promise<void> {
      this.steady();
      agent.close();
      await io.close();
      await Promise.all([chains?.stt.close(), chains?.llm.close(), chains?.tts.close()]);
    },
  };
}

/** A running {@link startReliabilityServer}. */
export type ReliabilityServer = Awaited<ReturnType<typeof startReliabilityServer>>;
