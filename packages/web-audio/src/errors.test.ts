import { VoxError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { microphoneError, WebAudioError } from './errors';

const domError = (name: string) => Object.assign(new Error(`${name} happened`), { name });

describe('microphoneError', () => {
  it.each([
    ['NotAllowedError', 'permission_denied', false],
    ['SecurityError', 'permission_denied', false],
    ['NotFoundError', 'device_not_found', false],
    ['OverconstrainedError', 'device_not_found', false],
    ['NotReadableError', 'device_unavailable', true],
    ['AbortError', 'device_unavailable', true],
  ])('maps %s to %s', (name, reason, retryable) => {
    const error = microphoneError(domError(name));
    expect(error.reason).toBe(reason);
    expect(error.retryable).toBe(retryable);
    expect(error.code).toBe('audio_device');
    expect(VoxError.isInstance(error)).toBe(true);
    expect(WebAudioError.isWebAudioError(error)).toBe(true);
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('serializes with its code for logs and wires', () => {
    expect(microphoneError(domError('NotAllowedError')).toJSON()).toMatchObject({
      name: 'WebAudioError',
      code: 'audio_device',
      source: 'web-audio',
    });
  });
});
