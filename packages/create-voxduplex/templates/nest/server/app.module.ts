import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { consoleLogger } from '@voxduplex/core';
import { VoxduplexModule } from '@voxduplex/nestjs';
import { createAgent } from './agent';

const agent = createAgent();

@Module({
  imports: [
    // The voice agent on the Socket.IO namespace /voice of the app's HTTP server.
    VoxduplexModule.forRoot({
      namespace: '/voice',
      // An open demo: anyone who can reach this server may talk, and spend your provider quota
      // once a cloud provider is in use. For real users, replace this line with
      // `authenticate: (handshake) => user or null`, checking e.g. `handshake.auth.token`.
      allowAnonymous: true,
      createSession: () => agent.createSession(),
      // Connections, refusals, session starts and ends, and errors, on the console.
      logger: consoleLogger('info'),
    }),
  ],
})
export class AppModule implements OnApplicationShutdown {
  /** After the voice module has closed its sessions. */
  async onApplicationShutdown(): Promise<void> {
    await agent.close();
  }
}
