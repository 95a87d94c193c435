import { Inject, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { ConfigError, consoleLogger } from '@voxduplex/core';
import { attachVoiceAgent, type VoiceAgentServer, voiceServerOptions } from '@voxduplex/transport-socketio';
import type { Namespace, Server } from 'socket.io';
import type { VoxduplexModuleOptions } from './options';
import { VOXDUPLEX_OPTIONS } from './tokens';

/** How long shutdown waits for voice connections to flush their `closed` message, ms. */
const CLOSE_FLUSH_TIMEOUT_MS = 2000;

/** The Socket.IO server options the gateway asks Nest's adapter for. */
function gatewayOptions(options: Pick<VoxduplexModuleOptions, 'limits' | 'serverOptions'>) {
  return { ...voiceServerOptions(options.limits), ...options.serverOptions };
}

/**
 * The gateway through which Nest hands over its Socket.IO server (from the `IoAdapter`, the
 * default one or yours). It sits on the root namespace with no message handlers, so Nest does
 * nothing with it but create the server and call `afterInit`; the agent itself is attached to
 * `server.of(namespace)` when the module initialises, and closed when it is destroyed.
 *
 * Every constructor argument names its token (`@Inject(...)`): nothing relies on
 * `emitDecoratorMetadata`, so the module works in apps built by tsx, esbuild, SWC or vitest.
 *
 * @internal Registered by {@link VoxduplexModule}; inject {@link VoxduplexService} instead.
 */
@WebSocketGateway(gatewayOptions({}))
export class VoxduplexGateway implements OnGatewayInit, OnModuleInit, OnModuleDestroy {
  readonly #options: VoxduplexModuleOptions;
  readonly #httpAdapterHost: HttpAdapterHost;
  #server?: Server;
  #namespace?: Namespace;
  #agent?: VoiceAgentServer;

  constructor(
    @Inject(VOXDUPLEX_OPTIONS) options: VoxduplexModuleOptions,
    @Inject(HttpAdapterHost) httpAdapterHost: HttpAdapterHost,
  ) {
    this.#options = options;
    this.#httpAdapterHost = httpAdapterHost;
    // Nest reads a gateway's server options when it connects the gateway, after constructing
    // it: declaring them again here lets forRootAsync's factory choose the limits and the CORS.
    WebSocketGateway(gatewayOptions(options))(VoxduplexGateway);
  }

  /** The attached agent; undefined before the module initialises and in a standalone context. */
  get agent(): VoiceAgentServer | undefined {
    return this.#agent;
  }

  afterInit(server: Server): void {
    this.#server = server;
  }

  /**
   * Attaches here rather than in `afterInit`: a ConfigError thrown now (no `authenticate`,
   * invalid limits) rejects `app.init()`/`app.listen()` instead of escaping from an RxJS
   * subscriber as an uncaught exception.
   */
  onModuleInit(): void {
    const server = this.#server;
    if (!server) {
      if (this.#httpAdapterHost.httpAdapter === undefined) {
        // `NestFactory.createApplicationContext`: no HTTP server, so nothing to serve voice on.
        (this.#options.logger ?? consoleLogger('warn')).warn(
          'VoxduplexModule in an application context without an HTTP server: no voice agent attached',
        );
        return;
      }
      throw new ConfigError('VoxduplexModule got no Socket.IO server from Nest', [
        'install @nestjs/platform-socket.io and @nestjs/websockets, and create the app with NestFactory.create',
      ]);
    }
    if (typeof server.of !== 'function')
      throw new ConfigError('VoxduplexModule needs the Socket.IO WebSocket adapter', [
        'use IoAdapter from @nestjs/platform-socket.io (the default), not another WebSocket adapter',
      ]);
    this.#namespace = server.of(this.#options.namespace ?? '/voice');
    this.#agent = attachVoiceAgent(this.#namespace, this.#options);
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.#agent || !this.#namespace) return;
    const connections = [...this.#namespace.sockets.values()].map((socket) => socket.conn);
    this.#agent.close('server stopping');
    // Nest closes the Socket.IO server right after this hook, which drops whatever a connection
    // still buffers: wait until each voice connection has sent its `closed` and shut (bounded).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(
        connections.map((connection) =>
          connection.readyState === 'closed'
            ? undefined
            : new Promise((resolve) => connection.once('close', resolve)),
        ),
      ),
      new Promise((resolve) => {
        timer = setTimeout(resolve, CLOSE_FLUSH_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
  }
}
