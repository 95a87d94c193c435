import { ConfigError } from '@voxduplex/core';
import { readConfig } from './config';
import { startServer } from './server';
import { startTelemetry } from './telemetry';

try {
  const config = readConfig(process.env);
  const stopTelemetry = startTelemetry(process.env);
  const server = await startServer(config);
  console.log(
    `voxduplex agent ready (STT ${config.stt.name}, TTS ${config.tts.name}, LLM ${config.llm.name}).\n` +
      `Open ${server.url} in a browser, press Talk, and speak.` +
      (stopTelemetry ? `\nTraces go to ${process.env.OTEL_EXPORTER_OTLP_ENDPOINT}.` : '') +
      (config.recordDir
        ? `\nCalls are recorded in ${config.recordDir} (npm run replay -- <file>.json).`
        : ''),
  );
  const stop = () =>
    void server
      .close()
      .then(() => stopTelemetry?.())
      .then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`The voice agent cannot start:\n${error.issues.map((issue) => `  - ${issue}`).join('\n')}`);
  console.error('See examples/express/README.md for the variables each provider needs.');
  process.exit(1);
}
