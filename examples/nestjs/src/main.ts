import { bootstrap } from './bootstrap';

const { url } = await bootstrap(Number(process.env.PORT ?? 3001), process.env.HOST ?? '127.0.0.1');
console.log(`voxduplex NestJS agent on ${url}/voice (Socket.IO). Sessions: ${url}/sessions`);
