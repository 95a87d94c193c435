/** The keys of a phone keypad as DTMF sends them (A–D exist on some keypads and in signalling). */
export const DTMF_DIGITS = [
  '0',
  '1',
  '2',
  '3',
  '4',
  '5',
  '6',
  '7',
  '8',
  '9',
  '*',
  '#',
  'A',
  'B',
  'C',
  'D',
] as const;

/** One key a caller pressed (telephony `dtmf`): `'0'`–`'9'`, `'*'`, `'#'`, `'A'`–`'D'`. */
export type DtmfDigit = (typeof DTMF_DIGITS)[number];

/** Whether `value` is one {@link DtmfDigit}. */
export function isDtmfDigit(value: unknown): value is DtmfDigit {
  return typeof value === 'string' && (DTMF_DIGITS as readonly string[]).includes(value);
}
