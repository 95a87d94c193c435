import { describe, expect, it } from 'vitest';
import { assertNodeVersion } from './node-version';

describe('assertNodeVersion', () => {
  it('accepts Node 22 and later', () => {
    expect(() => assertNodeVersion('22.0.0')).not.toThrow();
    expect(() => assertNodeVersion('24.11.1')).not.toThrow();
  });

  it('names both versions for an older Node', () => {
    expect(() => assertNodeVersion('20.19.0')).toThrow(
      'voxduplex needs Node.js 22 or later; this is Node.js 20.19.0',
    );
  });
});
