import { ConfigError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { checkFliteVoice, checkSpeakingRate } from './voices';

describe('checkFliteVoice', () => {
  it('accepts the built-in voices', () => {
    expect(checkFliteVoice('slt')).toBe('slt');
    expect(checkFliteVoice('kal')).toBe('kal');
  });

  it('rejects an unknown voice with a ConfigError that lists the available ones', () => {
    const error = (() => {
      try {
        checkFliteVoice('en-US-Neural2-A');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain('available: slt, rms, awb, kal16, kal');
  });

  it('rejects names inherited from Object and non-strings', () => {
    expect(() => checkFliteVoice('toString')).toThrow(ConfigError);
    expect(() => checkFliteVoice(42)).toThrow(ConfigError);
  });
});

describe('checkSpeakingRate', () => {
  it('accepts multipliers from 0.25 to 4', () => {
    expect(checkSpeakingRate(0.25)).toBe(0.25);
    expect(checkSpeakingRate(4)).toBe(4);
  });

  it('rejects zero, negatives, NaN, infinity and non-numbers', () => {
    for (const rate of [0, -1, Number.NaN, Number.POSITIVE_INFINITY, '1.5'])
      expect(() => checkSpeakingRate(rate)).toThrow(ConfigError);
  });
});
