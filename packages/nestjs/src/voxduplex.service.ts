import { Inject, Injectable } from '@nestjs/common';
import { ConfigError, type SessionRegistry } from '@voxduplex/core';
import type { TransportStats, VoiceAgentServer } from '@voxduplex/transport-socketio';
import { VoxduplexGateway } from './voxduplex.gateway';

/**
 * The voice agent of the app, to inject anywhere (`@Inject(VoxduplexService)`): its live
 * sessions, its transport counters, `close()` and `handOff()`. The module closes it by itself when the app
 * shuts down (`app.close()`, or a signal with `app.enableShutdownHooks()`).
 *
 * Available once the app is initialised (`app.init()` or `app.listen()`): from `onModuleInit`
 * of your own providers on, and in every request handler.
 *
 * @example
 * ```ts
 * @Controller('voice')
 * export class VoiceStatsController {
 *   constructor(@Inject(VoxduplexService) private readonly voice: VoxduplexService) {}
 *   @Get('stats')
 *   stats() {
 *     return this.voice.stats();
 *   }
 * }
 * ```
 */
@Injectable()
export class VoxduplexService implements VoiceAgentServer {
  readonly #gateway: VoxduplexGateway;

  constructor(@Inject(VoxduplexGateway) gateway: VoxduplexGateway) {
    this.#gateway = gateway;
  }

  /** Live sessions by sessionId (suspended ones included until their resume window ends). */
  get sessions(): SessionRegistry {
    return this.#agent().sessions;
  }

  stats(): TransportStats {
    return this.#agent().stats();
  }

  /** Closes every session (clients get `closed`), disconnects every voice socket, refuses new ones. */
  close(reason?: string): void {
    this.#agent().close(reason);
  }

  /**
   * Saves every session to the `sessionStore` and cuts its client's connection without `closed`,
   * so it resumes on another instance sharing the store (a deploy). See the transport's README.
   */
  handOff(): Promise<void> {
    return this.#agent().handOff();
  }

  #agent(): VoiceAgentServer {
    const agent = this.#gateway.agent;
    if (!agent)
      throw new ConfigError('VoxduplexService used before the voice agent was attached', [
        'it is attached when the app initialises (app.init() or app.listen()); use it from onModuleInit on',
      ]);
    return agent;
  }
}
