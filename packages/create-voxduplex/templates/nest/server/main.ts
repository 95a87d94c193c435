import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module';

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
/** The page built by `npm run build` (Vite writes it to `dist/`). */
const pageDir = join(import.meta.dirname, '..', 'dist');

// Socket.IO comes from @nestjs/platform-socket.io, Nest's default WebSocket adapter.
const app = await NestFactory.create<NestExpressApplication>(AppModule);
app.enableShutdownHooks();
const hasPage = existsSync(join(pageDir, 'index.html'));
// biome-ignore lint/correctness/useHookAtTopLevel: a Nest method, not a React hook
if (hasPage) app.useStaticAssets(pageDir);
await app.listen(port, host);
console.log(
  hasPage
    ? `Voice agent ready: open http://${host}:${port}, press Talk and speak.`
    : `Voice agent listening on http://${host}:${port} (Socket.IO namespace /voice).\n` +
        'Open the page Vite serves (npm run dev prints its address), or run "npm run build" so this server serves it.',
);
