import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { ConnectionRecord } from './connection-record';
import type { EmulatorFault } from './faults';
import { type RecognitionBehaviour, RecognitionSession } from './recognition-session';
import { type SynthesisBehaviour, SynthesisSession } from './synthesis-session';

/** How the emulated service behaves by default; every field is optional. */
export interface AzureSpeechEmulatorOptions {
  /** Subscription keys the service accepts; any non-empty key when absent. Others get HTTP 401. */
  readonly keys?: readonly string[];
  readonly recognition?: Partial<RecognitionBehaviour>;
  readonly synthesis?: Partial<SynthesisBehaviour>;
}

type ConnectionKind = ConnectionRecord['kind'];

function kindOfPath(path: string): ConnectionKind | undefined {
  if (path.startsWith('/speech/recognition/') || path.startsWith('/stt/speech/')) return 'recognition';
  if (path.endsWith('/cognitiveservices/websocket/v1')) return 'synthesis';
  return undefined;
}

/**
 * An Azure Speech service on `ws://127.0.0.1:<port>` that the real
 * `microsoft-cognitiveservices-speech-sdk` talks to: recognition (continuous, with turn rotation)
 * and synthesis (streamed PCM with word boundaries), plus scripted failures.
 *
 * Recognition text is deterministic: see {@link utteranceAudio}. Tokens come from
 * {@link AzureSpeechEmulator.issueToken} and are refused (401) once expired.
 *
 * @example
 * ```ts
 * const emulator = await AzureSpeechEmulator.start();
 * const config = SpeechConfig.fromHost(emulator.host, 'any-key');
 * // … run the SDK …
 * await emulator.waitForNoOpenConnections();
 * await emulator.close();
 * ```
 */
export class AzureSpeechEmulator {
  /** Every connection attempt, in order (rejected upgrades included). */
  readonly connections: ConnectionRecord[] = [];
  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #faults: Record<ConnectionKind, EmulatorFault[]> = { recognition: [], synthesis: [] };
  readonly #standingFaults: Record<ConnectionKind, EmulatorFault | undefined> = {
    recognition: undefined,
    synthesis: undefined,
  };
  readonly #tokens = new Map<string, number>();
  readonly #recognition: RecognitionBehaviour;
  readonly #synthesis: SynthesisBehaviour;
  #tokenCount = 0;

  private constructor(
    server: Server,
    private readonly options: AzureSpeechEmulatorOptions,
  ) {
    this.#server = server;
    this.#recognition = {
      silenceMs: 500,
      hypothesisEveryMs: 300,
      phrasesPerTurn: Number.POSITIVE_INFINITY,
      transcriptFor: (id) => `utterance number ${id}`,
      ...options.recognition,
    };
    this.#synthesis = { msPerWord: 200, gapMs: 50, chunkMs: 100, ...options.synthesis };
    server.on('upgrade', (request, socket, head) => this.#onUpgrade(request, socket, head));
  }

  /** Starts an emulator on 127.0.0.1, on a free port. */
  static async start(options: AzureSpeechEmulatorOptions = {}): Promise<AzureSpeechEmulator> {
    const server = createServer((_request, response) => response.writeHead(404).end());
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new AzureSpeechEmulator(server, options);
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  /** `ws://127.0.0.1:<port>`, for `SpeechConfig.fromHost` (recognition and synthesis). */
  get host(): URL {
    return new URL(`ws://127.0.0.1:${this.port}`);
  }

  /** The conversation recognition endpoint, for `SpeechConfig.fromEndpoint`. */
  get recognitionEndpoint(): URL {
    return new URL(`ws://127.0.0.1:${this.port}/speech/recognition/conversation/cognitiveservices/v1`);
  }

  /** Sockets open right now, both kinds. 0 after a clean shutdown. */
  get openConnections(): number {
    return this.connections.filter((c) => c.isOpen).length;
  }

  /** A bearer token the emulator accepts until `lifetimeMs` from now (wall clock). */
  issueToken(lifetimeMs: number): string {
    const token = `emulator-token-${++this.#tokenCount}`;
    this.#tokens.set(token, Date.now() + lifetimeMs);
    return token;
  }

  /** Queues a failure: the next `times` connections of `kind` play `fault`. */
  fail(kind: ConnectionKind, fault: EmulatorFault, times = 1): this {
    for (let i = 0; i < times; i++) this.#faults[kind].push(fault);
    return this;
  }

  /**
   * Plays `fault` on every connection of `kind` that has no queued one (1011 on every socket,
   * a phrase Error every time, 401 on every upgrade…), until {@link clearFaults}.
   */
  failEvery(kind: ConnectionKind, fault: EmulatorFault): this {
    this.#standingFaults[kind] = fault;
    return this;
  }

  /** Drops failures queued and not yet played, and the standing ones. */
  clearFaults(): void {
    this.#faults.recognition.length = 0;
    this.#faults.synthesis.length = 0;
    this.#standingFaults.recognition = undefined;
    this.#standingFaults.synthesis = undefined;
  }

  /** Recognition audio received over every connection, ms (16 kHz PCM): what the service would bill. */
  get recognizedAudioMs(): number {
    const bytes = this.connections.reduce((sum, c) => sum + (c.kind === 'recognition' ? c.audioBytes : 0), 0);
    return bytes / 32;
  }

  /** Resolves once no socket is open; rejects after `timeoutMs` saying how many still are. */
  async waitForNoOpenConnections(timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.openConnections > 0) {
      if (Date.now() > deadline) throw new Error(`${this.openConnections} emulator connection(s) still open`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Closes every socket and the server. */
  async close(): Promise<void> {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #authenticate(request: IncomingMessage, query: Record<string, string>): { ok: boolean; token?: string } {
    const authorization = query.Authorization ?? request.headers.authorization;
    if (authorization !== undefined) {
      const token = authorization.replace(/^Bearer\s+/i, '');
      const expiresAt = this.#tokens.get(token);
      return { ok: expiresAt !== undefined && expiresAt > Date.now(), token };
    }
    const key = query['Ocp-Apim-Subscription-Key'] ?? request.headers['ocp-apim-subscription-key'];
    if (typeof key !== 'string' || key === '') return { ok: false };
    return { ok: this.options.keys === undefined || this.options.keys.includes(key) };
  }

  #onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? '/', 'ws://127.0.0.1');
    const kind = kindOfPath(url.pathname);
    if (!kind) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      return;
    }
    const query = Object.fromEntries(url.searchParams);
    const auth = this.#authenticate(request, query);
    const fault = this.#faults[kind].shift() ?? this.#standingFaults[kind];
    const record: ConnectionRecord = {
      id: this.connections.length + 1,
      kind,
      path: url.pathname,
      query,
      token: auth.token,
      status: 101,
      isOpen: false,
      closeCode: undefined,
      contexts: [],
      ssml: [],
      turns: 0,
      audioBytes: 0,
      phrases: [],
    };
    this.connections.push(record);
    const rejectStatus = !auth.ok ? 401 : fault?.kind === 'reject-upgrade' ? fault.status : undefined;
    if (rejectStatus !== undefined) {
      record.status = rejectStatus;
      const retryAfter =
        auth.ok && fault?.kind === 'reject-upgrade' && fault.retryAfterSeconds !== undefined
          ? `Retry-After: ${fault.retryAfterSeconds}\r\n`
          : '';
      socket.end(
        `HTTP/1.1 ${rejectStatus} Emulated\r\nConnection: close\r\n${retryAfter}Content-Length: 0\r\n\r\n`,
      );
      return;
    }
    this.#wss.handleUpgrade(request, socket, head, (ws: WebSocket) => {
      record.isOpen = true;
      ws.on('close', (code) => {
        record.isOpen = false;
        record.closeCode = code;
      });
      if (kind === 'recognition') new RecognitionSession(ws, record, this.#recognition, fault);
      else new SynthesisSession(ws, record, this.#synthesis, fault);
    });
  }
}
