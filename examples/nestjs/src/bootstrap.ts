import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';

/** Creates and starts the app; `port` 0 picks a free one. Returns the app and its base URL. */
export async function bootstrap(
  port: number,
  host = '127.0.0.1',
  logger: false | undefined = undefined,
): Promise<{ app: INestApplication; url: string }> {
  // Nest's default WebSocket adapter is @nestjs/platform-socket.io's IoAdapter: VoxduplexModule
  // serves on its Socket.IO server, beside the HTTP routes, on the same port.
  const app = await NestFactory.create(AppModule, logger === false ? { logger: false } : {});
  app.enableShutdownHooks(); // SIGTERM/SIGINT close every voice session, then the providers
  await app.listen(port, host);
  return { app, url: (await app.getUrl()).replace('[::1]', 'localhost') };
}
