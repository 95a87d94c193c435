import { describe, expect, it } from 'vitest';
import { synthesisWorkerLocation } from './worker-location';

describe('synthesisWorkerLocation', () => {
  it('points the ESM build at synthesis-worker.js beside it, with no loader', () => {
    const location = synthesisWorkerLocation(
      'file:///app/node_modules/@voxduplex/tts-flite/dist/chunk-AB12.js',
    );
    expect(location.url.href).toBe('file:///app/node_modules/@voxduplex/tts-flite/dist/synthesis-worker.js');
    expect(location.execArgv).toEqual([]);
  });

  it('points the CJS build at synthesis-worker.cjs beside it', () => {
    const location = synthesisWorkerLocation('file:///app/node_modules/@voxduplex/tts-flite/dist/index.cjs');
    expect(location.url.href).toBe('file:///app/node_modules/@voxduplex/tts-flite/dist/synthesis-worker.cjs');
  });

  it('runs the TypeScript source directly when called from sources', () => {
    const location = synthesisWorkerLocation(import.meta.url);
    expect(location.url.pathname).toMatch(/packages\/tts-flite\/src\/synthesis-worker\.ts$/);
  });
});
