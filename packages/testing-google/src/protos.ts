import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { loadSync } from '@grpc/proto-loader';
import { grpc } from 'google-gax';

const require = createRequire(import.meta.url);

// Some packages (google-gax) do not export `./package.json`: walk up from their entry point instead.
function packageDir(name: string): string {
  let dir = dirname(require.resolve(name));
  while (dir !== dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name
    ) {
      return dir;
    }
    dir = dirname(dir);
  }
  throw new Error(`cannot find the folder of ${name}`);
}

/** The service definitions the emulator serves, loaded from the `.proto` files the npm packages ship. */
export interface GoogleServices {
  readonly speechV1: grpc.ServiceDefinition;
  readonly textToSpeechV1: grpc.ServiceDefinition;
}

let cached: GoogleServices | undefined;

/** Loads (once) Speech v1 and Text-to-Speech v1 from `@google-cloud/speech` and `@google-cloud/text-to-speech`. */
export function loadGoogleServices(): GoogleServices {
  if (cached) return cached;
  const gaxProtos = join(packageDir('google-gax'), 'build', 'protos');
  const load = (pkg: string, file: string) =>
    grpc.loadPackageDefinition(
      loadSync(file, {
        includeDirs: [join(packageDir(pkg), 'build', 'protos'), gaxProtos],
        keepCase: false,
        longs: String,
        enums: String,
        defaults: false,
        oneofs: true,
      }),
    );
  const speech = load('@google-cloud/speech', 'google/cloud/speech/v1/cloud_speech.proto');
  const tts = load('@google-cloud/text-to-speech', 'google/cloud/texttospeech/v1/cloud_tts.proto');
  // biome-ignore lint/suspicious/noExplicitAny: the loaded package tree is untyped by nature
  const service = (root: any, path: string[]): grpc.ServiceDefinition =>
    path.reduce((node, key) => node[key], root).service;
  cached = {
    speechV1: service(speech, ['google', 'cloud', 'speech', 'v1', 'Speech']),
    textToSpeechV1: service(tts, ['google', 'cloud', 'texttospeech', 'v1', 'TextToSpeech']),
  };
  return cached;
}
