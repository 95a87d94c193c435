import { type ClientOptions, grpc } from 'google-gax';
import type { EmulatedMethod, RecordedCall } from './call-record';
import { loadGoogleServices } from './protos';
import { handleStreamingRecognize } from './recognize-handler';
import {
  googleStatusText,
  type RecognizeScenario,
  type ScriptedStatus,
  type SynthesizeScenario,
} from './scenario';
import { handleStreamingSynthesize, handleSynthesizeSpeech } from './synthesize-handlers';

/** Options for `new SpeechClient(…)` / `new TextToSpeechClient(…)` that reach the emulator and nothing else. */
export interface EmulatorClientOptions extends ClientOptions {
  readonly apiEndpoint: string;
  readonly port: number;
  readonly sslCreds: grpc.ChannelCredentials;
  readonly universeDomain: string;
}

const UNIMPLEMENTED = 12;

/**
 * A Google Cloud speech emulator: a `@grpc/grpc-js` server on 127.0.0.1 serving Speech-to-Text v1
 * `StreamingRecognize` and Text-to-Speech v1 `StreamingSynthesize` / `SynthesizeSpeech` from the
 * `.proto` files the npm packages ship, so tests drive the real client libraries.
 *
 * Each call follows a scenario: the next queued one ({@link queueRecognize}), else the default.
 * Every call is recorded in {@link calls}. Call {@link close} when done.
 *
 * @example
 * ```ts
 * const emulator = await GoogleSpeechEmulator.start();
 * const client = new SpeechClient(emulator.clientOptions());
 * emulator.queueRecognize({ rejectWith: { code: 16, details: googleStatusText.unauthenticated } });
 * // … drive the client …
 * await emulator.close();
 * ```
 */
export class GoogleSpeechEmulator {
  /** Every call seen, in arrival order. */
  readonly calls: RecordedCall[] = [];
  /** Scenario for recognize calls with nothing queued. */
  recognizeDefaults: RecognizeScenario = {};
  /** Scenario for synthesize calls with nothing queued. */
  synthesizeDefaults: SynthesizeScenario = {};
  readonly #recognizeQueue: RecognizeScenario[] = [];
  readonly #synthesizeQueue: SynthesizeScenario[] = [];
  #server: grpc.Server | undefined;
  #port = 0;

  private constructor() {}

  /** Starts an emulator on 127.0.0.1 on a free port. */
  static async start(): Promise<GoogleSpeechEmulator> {
    const emulator = new GoogleSpeechEmulator();
    await emulator.restart();
    return emulator;
  }

  /** The bound port. */
  get port(): number {
    return this.#port;
  }

  /** True while the server accepts calls. */
  get isRunning(): boolean {
    return this.#server !== undefined;
  }

  /** Client options pointing the real client at this emulator (insecure channel, no credential lookup). */
  clientOptions(): EmulatorClientOptions {
    return {
      apiEndpoint: '127.0.0.1',
      port: this.#port,
      sslCreds: grpc.credentials.createInsecure(),
      universeDomain: 'googleapis.com',
    };
  }

  /** Scenarios for the next recognize calls, one per call, before the default applies again. */
  queueRecognize(...scenarios: RecognizeScenario[]): this {
    this.#recognizeQueue.push(...scenarios);
    return this;
  }

  /** Scenarios for the next synthesize calls (streaming or unary), one per call. */
  queueSynthesize(...scenarios: SynthesizeScenario[]): this {
    this.#synthesizeQueue.push(...scenarios);
    return this;
  }

  /**
   * A flapping endpoint: the next `times` recognize calls are refused with `status` (UNAVAILABLE
   * by default), then calls work again.
   */
  failNextRecognize(
    times: number,
    status: ScriptedStatus = { code: 14, details: googleStatusText.unavailable },
  ): this {
    return this.queueRecognize(...Array.from({ length: times }, () => ({ rejectWith: status })));
  }

  /** Audio received over every recognize call so far, ms: what the service would bill. */
  get recognizedAudioMs(): number {
    return this.callsOf('StreamingRecognize').reduce((sum, call) => sum + call.audioMs, 0);
  }

  /** Recorded calls of one method. */
  callsOf(method: EmulatedMethod): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Calls still running on the server. */
  get openCalls(): RecordedCall[] {
    return this.calls.filter((c) => c.state === 'open');
  }

  /** Resolves once `condition` holds (polled every 5 ms); rejects after `timeoutMs`. */
  async until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error('emulator: condition not met in time');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Kills the server at once, dropping every connection mid-stream (the client sees UNAVAILABLE). */
  kill(): void {
    const server = this.#server;
    this.#server = undefined;
    server?.forceShutdown();
    for (const call of this.openCalls) call.state = 'killed';
  }

  /** (Re)starts the server, on the same port when it ran before. */
  async restart(): Promise<void> {
    if (this.#server) return;
    const server = new grpc.Server();
    const services = loadGoogleServices();
    const unimplemented = (_call: unknown, callback: grpc.sendUnaryData<unknown>) =>
      callback({ code: UNIMPLEMENTED, details: 'not emulated' }, null);
    server.addService(services.speechV1, {
      streamingRecognize: ((call) =>
        handleStreamingRecognize(call as never, {
          record: this.#record('StreamingRecognize', call.metadata),
          scenario: this.#recognizeQueue.shift() ?? this.recognizeDefaults,
          killServer: () => this.kill(),
        })) satisfies grpc.handleBidiStreamingCall<unknown, unknown>,
      recognize: unimplemented,
      longRunningRecognize: unimplemented,
    });
    server.addService(services.textToSpeechV1, {
      streamingSynthesize: ((call) =>
        handleStreamingSynthesize(
          call as never,
          this.#record('StreamingSynthesize', call.metadata),
          this.#synthesizeQueue.shift() ?? this.synthesizeDefaults,
        )) satisfies grpc.handleBidiStreamingCall<unknown, unknown>,
      synthesizeSpeech: ((call, callback) =>
        handleSynthesizeSpeech(
          call as never,
          callback,
          this.#record('SynthesizeSpeech', call.metadata),
          this.#synthesizeQueue.shift() ?? this.synthesizeDefaults,
        )) satisfies grpc.handleUnaryCall<unknown, unknown>,
      listVoices: unimplemented,
    });
    this.#port = await new Promise<number>((resolve, reject) =>
      server.bindAsync(`127.0.0.1:${this.#port}`, grpc.ServerCredentials.createInsecure(), (error, port) =>
        error ? reject(error) : resolve(port),
      ),
    );
    this.#server = server;
  }

  /** Stops the server; calls still open are cut. */
  async close(): Promise<void> {
    const server = this.#server;
    this.#server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        server.forceShutdown();
        resolve();
      }, 1000);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  #record(method: EmulatedMethod, metadata: grpc.Metadata): RecordedCall {
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(metadata.getMap())) headers[key] = String(value);
    const record: RecordedCall = {
      id: this.calls.length + 1,
      method,
      headers,
      config: undefined,
      openedAt: performance.now(),
      chunkBytes: [],
      chunkAt: [],
      audioMs: 0,
      texts: [],
      finals: [],
      state: 'open',
    };
    this.calls.push(record);
    return record;
  }
}
