import { ConfigError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { loadNodeRnnoise } from '../node';
import { loadRnnoise, RnnoiseWasm } from './rnnoise-wasm';

describe('loading RNNoise', () => {
  it('loads the bytes of a build, fetched or given, and compiles them once per process on Node', async () => {
    const node = await loadNodeRnnoise();
    expect(await loadNodeRnnoise()).toBe(node);
    const fromBytes = await loadRnnoise(node.bytes);
    const fromResponse = await loadRnnoise(Promise.resolve(new Response(node.bytes)));
    expect(fromBytes.bytes).toEqual(node.bytes);
    expect(fromResponse.bytes).toEqual(node.bytes);
  });

  it('refuses what is not an RNNoise build with a ConfigError', async () => {
    await expect(loadRnnoise(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(ConfigError);
    // A valid module without RNNoise's functions: (module).
    const empty = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]);
    expect(() => new RnnoiseWasm(empty)).toThrow(/not an RNNoise build/);
    await expect(loadRnnoise(new Response('missing', { status: 404 }))).rejects.toThrow(/HTTP 404/);
  });
});
