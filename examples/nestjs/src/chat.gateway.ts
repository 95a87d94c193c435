import { Inject, type OnModuleDestroy } from '@nestjs/common';
import { type OnGatewayInit, WebSocketGateway } from '@nestjs/websockets';
import { attachVoiceAgent, type VoiceAgentServer, voiceServerOptions } from '@voxduplex/transport-socketio';
import type { Namespace } from 'socket.io';
import { AgentFactory } from './agent.factory';

/**
 * The voice agent on the Socket.IO namespace `/voice`: the transport package does the protocol
 * (audio both ways, controls, limits, resumption); this gateway only says who may connect and how
 * a session is made.
 */
@WebSocketGateway({ namespace: '/voice', ...voiceServerOptions() })
export class ChatGateway implements OnGatewayInit, OnModuleDestroy {
  #voice?: VoiceAgentServer;

  readonly #agents: AgentFactory;

  constructor(@Inject(AgentFactory) agents: AgentFactory) {
    this.#agents = agents;
  }

  afterInit(namespace: Namespace): void {
    this.#voice = attachVoiceAgent(namespace, {
      // An open demo; verify a token from `handshake.auth` here in a real app.
      authenticate: () => ({ id: 'anonymous' }),
      createSession: ({ socketId }) => this.#agents.createSession(socketId),
    });
  }

  /** Transport counters (sockets, sessions, dropped audio…). */
  stats() {
    return this.#voice?.stats();
  }

  onModuleDestroy(): void {
    this.#voice?.close('server stopping');
  }
}
