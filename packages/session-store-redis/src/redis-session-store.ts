import { consoleLogger, type Logger } from '@voxduplex/core';
import type { SessionStore, StoredSession, StoreTake, StoreTouch } from '@voxduplex/transport-socketio';
import { createClient, type RedisClientOptions } from 'redis';
import { DELETE, SAVE, type StoreScript, TAKE, TOUCH } from './scripts';

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions {
  /** The Redis to use. Default `redis://127.0.0.1:6379`. */
  url?: string;
  /** Prefix of every record's key. Default `voxduplex:session:`. */
  keyPrefix?: string;
  /**
   * A command not answered in this long is given up (and not sent later, if it was still
   * waiting to be written), ms. Keep it at or below the transport's `storeTimeoutMs`. Default 1000.
   */
  commandTimeoutMs?: number;
  /** Where connection trouble is written (one line when it starts, one when it ends). Default: console, warn. */
  logger?: Logger;
  /** More options for the `redis` client (TLS, credentials, `database`…); `url` wins. */
  clientOptions?: Omit<RedisClientOptions, 'url'>;
}

/** The slice of the `redis` client the store uses. */
interface ScriptClient {
  evalSha(sha1: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

/**
 * A {@link SessionStore} on Redis: every process of a voice server that shares it can resume
 * any of the cluster's sessions, and the clients of a process that died resume on another.
 * Each record is one Redis hash with a TTL; each operation is one Lua script (one round trip,
 * atomic, one key — so Redis Cluster works too). Only the hash of a resume token is stored;
 * snapshots hold conversation text unless the transport seals them (`snapshotKey`).
 *
 * It owns its connection, made with `disableOfflineQueue`: while Redis is unreachable every
 * call fails at once (nothing queues up to run later), and the client reconnects by itself.
 * Call {@link close} at shutdown.
 *
 * @example
 * ```ts
 * const sessionStore = new RedisSessionStore({ url: process.env.REDIS_URL });
 * await sessionStore.connect(); // optional: sessions start without Redis too
 * attachVoiceAgent(io.of('/voice'), { authenticate, createSession, sessionStore });
 * ```
 */
export class RedisSessionStore implements SessionStore {
  readonly #client;
  readonly #keyPrefix: string;
  readonly #logger: Logger;
  readonly #connected: Promise<void>;
  #isHealthy = true;
  #isClosed = false;

  constructor(options: RedisSessionStoreOptions = {}) {
    this.#keyPrefix = options.keyPrefix ?? 'voxduplex:session:';
    this.#logger = options.logger ?? consoleLogger('warn');
    const { socket, commandOptions, ...rest } = options.clientOptions ?? {};
    this.#client = createClient({
      ...rest,
      url: options.url ?? 'redis://127.0.0.1:6379',
      disableOfflineQueue: true,
      commandOptions: { ...commandOptions, timeout: options.commandTimeoutMs ?? 1000 },
      socket: {
        connectTimeout: 2000,
        // Keep trying, at most every 2 s: an outage costs resumes, never a crash.
        reconnectStrategy: (retries: number) => Math.min(50 * 2 ** retries, 2000),
        ...socket,
      } as RedisClientOptions['socket'],
    });
    this.#client.on('error', (error: Error) => this.#unhealthy(error));
    this.#client.on('ready', () => this.#healthy());
    // The client's own connect() settles only once connected (it retries forever): waiting for
    // it would hold a server's start-up hostage to Redis. The first attempt's outcome is enough.
    this.#connected = new Promise((resolve) => {
      const settle = () => {
        this.#client.off('ready', settle);
        this.#client.off('error', settle);
        resolve();
      };
      this.#client.on('ready', settle);
      this.#client.on('error', settle);
    });
    this.#client.connect().catch((error: unknown) => this.#unhealthy(error));
  }

  /**
   * Resolves once connected, or once the first attempt failed (the client keeps trying in the
   * background; {@link isReady} says when it is up). Never rejects.
   */
  async connect(): Promise<void> {
    await this.#connected;
  }

  /** Whether the connection is up right now. */
  get isReady(): boolean {
    return this.#client.isReady;
  }

  async save(recordId: string, record: StoredSession, ttlMs: number): Promise<'saved' | 'superseded'> {
    const { tokenHash, ownerHash, holder, snapshot } = record;
    const saved = await this.#run(SAVE, recordId, [tokenHash, ownerHash, holder, snapshot, String(ttlMs)]);
    return saved === 1 ? 'saved' : 'superseded';
  }

  async take(recordId: string, tokenHash: string, ownerHash: string, newHolder: string): Promise<StoreTake> {
    const reply = (await this.#run(TAKE, recordId, [tokenHash, ownerHash, newHolder])) as string[];
    if (reply[0] === 'taken') return { status: 'taken', snapshot: String(reply[1]) };
    return { status: reply[0] === 'wrong_owner' ? 'wrong_owner' : 'unknown' };
  }

  async touch(recordId: string, holder: string, ttlMs?: number): Promise<StoreTouch> {
    return (await this.#run(TOUCH, recordId, [
      holder,
      ttlMs === undefined ? '' : String(ttlMs),
    ])) as StoreTouch;
  }

  async delete(recordId: string, holder: string): Promise<void> {
    await this.#run(DELETE, recordId, [holder]);
  }

  /** Closes the connection (records stay until their TTL). Idempotent. */
  async close(): Promise<void> {
    if (this.#isClosed) return;
    this.#isClosed = true;
    if (this.#client.isOpen) await this.#client.close();
    else this.#client.destroy();
  }

  async #run(script: StoreScript, recordId: string, args: string[]): Promise<unknown> {
    const client = this.#client as unknown as ScriptClient;
    const options = { keys: [this.#keyPrefix + recordId], arguments: args };
    try {
      return await client.evalSha(script.sha1, options);
    } catch (error) {
      // A Redis that restarted has forgotten the script: send it whole once.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return client.eval(script.source, options);
    }
  }

  #unhealthy(error: unknown): void {
    if (!this.#isHealthy || this.#isClosed) return;
    this.#isHealthy = false;
    const message = error instanceof Error ? error.message || error.name : String(error);
    this.#logger.warn({ err: message }, `session store: Redis unreachable (${message}); reconnecting`);
  }

  #healthy(): void {
    if (this.#isHealthy) return;
    this.#isHealthy = true;
    this.#logger.info({}, 'session store: Redis reachable again');
  }
}
