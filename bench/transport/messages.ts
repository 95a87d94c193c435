// What the bench's orchestrator and its two pinned child processes (server, load generator) say
// to each other over the IPC channel.

/**
 * The server under test and how clients send audio: `socketio` is the voice agent on Socket.IO
 * with clients that use compact audio messages when `ready` offers them (as `connectVoiceAgent`
 * does), `socketio-events` the same server with clients that send `audio` binary events (as
 * clients before protocol revision 3 do), `ws` a bare `ws` server, one binary message per frame.
 */
export type TransportKind = 'socketio' | 'socketio-events' | 'ws';

/** The shape of one trial, shared by all three processes. */
export interface TrialPlan {
  readonly kind: TransportKind;
  readonly sessions: number;
  /** Monotonic ms (see `monotonicMs`) of tick 0. */
  readonly startAt: number;
  /** Ticks streamed first and not counted (JIT warm-up, start-up burst). */
  readonly warmupTicks: number;
  /** Ticks counted. */
  readonly countedTicks: number;
}

export type ToServer = { type: 'stream'; plan: TrialPlan } | { type: 'exit' };
export type FromServer =
  | { type: 'listening'; port: number }
  | { type: 'sessions'; count: number }
  | { type: 'streamed'; report: ServerReport };

export type ToGenerator =
  | { type: 'connect'; kind: TransportKind; port: number; sessions: number }
  | { type: 'stream'; plan: TrialPlan }
  | { type: 'exit' };
export type FromGenerator =
  | { type: 'connected'; connectMs: number }
  | { type: 'connect-failed'; message: string }
  | { type: 'streamed'; report: GeneratorReport };

/** What the server saw of the counted ticks. */
export interface ServerReport {
  /** Frames expected at the sessions (sessions × counted ticks). */
  readonly expectedFrames: number;
  readonly receivedFrames: number;
  /** Frames that reached their session more than the late threshold after they were sent. */
  readonly lateFrames: number;
  /** Send → session delay, a sample of every 10th frame, ms. */
  readonly delayMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Server CPU (user + system, all threads) over the counted window per frame received in it. */
  readonly cpuUsPerFrame: number;
  /** The kernel's part of it (system time: socket reads and writes). */
  readonly systemUsPerFrame: number;
  /** Share of one core the server used over the counted window. */
  readonly cpuShare: number;
  /** Heap after GC with every session streaming, minus the heap before any connected, per session. */
  readonly heapPerSessionKib: number;
}

/** How well the load generator kept to its schedule: a late generator voids the trial. */
export interface GeneratorReport {
  /** Frames of the counted ticks. */
  readonly sentFrames: number;
  /** Counted frames sent more than the generator's own threshold after they were due. */
  readonly lateSends: number;
  /** Due → sent delay, a sample of every 10th frame, ms. */
  readonly sendDelayMs: { readonly p50: number; readonly p99: number };
  /** Share of one core the generator used over the whole stream. */
  readonly cpuShare: number;
  /** Error events the server sent (a healthy run has none). */
  readonly serverErrors: number;
  readonly firstServerError?: string;
}
