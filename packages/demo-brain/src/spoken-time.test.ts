import { ConfigError } from '@voxduplex/core';
import { describe, expect, it } from 'vitest';
import { checkTimeZone, clockFormat, numberInWords, spokenTime } from './spoken-time';

const at = (iso: string) => new Date(iso);

describe('spokenTime', () => {
  it('says the time in words, with the part of the day', () => {
    expect(spokenTime(at('2025-03-01T15:07:00Z'), 'UTC')).toBe("It's three oh seven in the afternoon.");
    expect(spokenTime(at('2025-03-01T09:42:00Z'), 'UTC')).toBe("It's nine forty-two in the morning.");
    expect(spokenTime(at('2025-03-01T21:15:00Z'), 'UTC')).toBe("It's a quarter past nine in the evening.");
    expect(spokenTime(at('2025-03-01T07:30:00Z'), 'UTC')).toBe("It's half past seven in the morning.");
    expect(spokenTime(at('2025-03-01T02:05:00Z'), 'UTC')).toBe("It's two oh five at night.");
  });

  it('names noon and midnight', () => {
    expect(spokenTime(at('2025-03-01T12:00:00Z'), 'UTC')).toBe("It's exactly noon.");
    expect(spokenTime(at('2025-03-01T00:00:00Z'), 'UTC')).toBe("It's exactly midnight.");
    expect(spokenTime(at('2025-03-01T23:45:00Z'), 'UTC')).toBe("It's a quarter to midnight.");
    expect(spokenTime(at('2025-03-01T00:20:00Z'), 'UTC')).toBe("It's twelve twenty after midnight.");
  });

  it('reads the wall clock of the given time zone', () => {
    expect(spokenTime(at('2025-07-01T15:07:00Z'), 'Europe/Paris')).toBe(
      "It's five oh seven in the afternoon.",
    );
  });

  it('rejects an unknown time zone with a ConfigError', () => {
    expect(() => checkTimeZone('Mars/Olympus_Mons')).toThrow(ConfigError);
  });
});

describe('numberInWords', () => {
  it('spells 0–59', () => {
    expect([0, 7, 13, 20, 42, 59].map(numberInWords)).toEqual([
      'zero',
      'seven',
      'thirteen',
      'twenty',
      'forty-two',
      'fifty-nine',
    ]);
  });
});

describe('clockFormat', () => {
  it('makes one formatter per zone and hands it back on later calls', () => {
    expect(clockFormat('Asia/Tokyo')).toBe(clockFormat('Asia/Tokyo'));
    expect(clockFormat('Asia/Tokyo')).not.toBe(clockFormat('Europe/Paris'));
    expect(clockFormat('Asia/Tokyo').resolvedOptions().timeZone).toBe('Asia/Tokyo');
  });
});
