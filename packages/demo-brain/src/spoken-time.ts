import { ConfigError } from '@voxduplex/core';

const ONES = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['', '', 'twenty', 'thirty', 'forty', 'fifty'];

/** 0–59 in words: `7` → `seven`, `42` → `forty-two`. */
export function numberInWords(value: number): string {
  if (value < 20) return ONES[value]!;
  const ones = value % 10;
  return ones === 0 ? TENS[Math.floor(value / 10)]! : `${TENS[Math.floor(value / 10)]}-${ONES[ones]}`;
}

// The first DateTimeFormat of a process loads ICU's time-zone data (~100 ms on a busy machine),
// and every later one costs a little: build one per zone, once, outside any reply.
const clockFormats = new Map<string | undefined, Intl.DateTimeFormat>();

/** The hour:minute formatter of `timeZone` (the machine's zone if omitted), made once. */
export function clockFormat(timeZone?: string): Intl.DateTimeFormat {
  let format = clockFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      hour: 'numeric',
      minute: 'numeric',
      hourCycle: 'h23',
      ...(timeZone === undefined ? {} : { timeZone }),
    });
    clockFormats.set(timeZone, format);
  }
  return format;
}

/** Hours and minutes of `date` on the wall clock of `timeZone` (the machine's zone if omitted). */
export function wallClock(date: Date, timeZone?: string): { hours: number; minutes: number } {
  const parts = clockFormat(timeZone).formatToParts(date);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { hours: part('hour') % 24, minutes: part('minute') };
}

/** Throws a {@link ConfigError} if `timeZone` is not an IANA zone this runtime knows. */
export function checkTimeZone(timeZone: string): string {
  try {
    clockFormat(timeZone);
    return timeZone;
  } catch (error) {
    throw new ConfigError(`Unknown time zone '${timeZone}'`, ['expected an IANA name such as Europe/Paris'], {
      cause: error,
    });
  }
}

/**
 * The time as a speech synthesizer should read it, in words so every TTS says it the same way:
 * `15:07` → `It's three oh seven in the afternoon.`
 */
export function spokenTime(date: Date, timeZone?: string): string {
  const { hours, minutes } = wallClock(date, timeZone);
  const hour12 = hours % 12 === 0 ? 12 : hours % 12;
  const nextHour12 = (hour12 % 12) + 1;
  const period =
    hours < 5
      ? 'at night'
      : hours < 12
        ? 'in the morning'
        : hours < 18
          ? 'in the afternoon'
          : 'in the evening';
  const atHour = (hour: number, h24: number) =>
    h24 === 0 ? 'midnight' : h24 === 12 ? 'noon' : `${numberInWords(hour)} ${period}`;
  if (minutes === 0) return `It's exactly ${atHour(hour12, hours)}.`;
  if (minutes === 15) return `It's a quarter past ${atHour(hour12, hours)}.`;
  if (minutes === 30) return `It's half past ${atHour(hour12, hours)}.`;
  if (minutes === 45) return `It's a quarter to ${atHour(nextHour12, (hours + 1) % 24)}.`;
  return `It's ${numberInWords(hour12)} ${minutes < 10 ? `oh ${numberInWords(minutes)}` : numberInWords(minutes)} ${hours === 0 ? 'after midnight' : period}.`;
}
