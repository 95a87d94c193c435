import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The `X-Twilio-Signature` Twilio computes for a webhook request, as its "Webhooks security"
 * page documents: HMAC-SHA1 keyed with the account's auth token over the full URL Twilio called
 * (scheme, host, path, query) followed by every POST parameter, sorted by name, as name then
 * value; base64. A repeated parameter contributes each of its values in order.
 */
export function twilioSignature(
  authToken: string,
  url: string,
  params: Readonly<Record<string, string | readonly string[]>> = {},
): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name]!;
    for (const one of typeof value === 'string' ? [value] : value) data += name + one;
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Whether `signature` is Twilio's for this request (compared in constant time). */
export function isValidTwilioSignature(
  authToken: string,
  signature: string | undefined,
  url: string,
  params: Readonly<Record<string, string | readonly string[]>> = {},
): boolean {
  if (typeof signature !== 'string' || signature === '' || authToken === '') return false;
  const expected = Buffer.from(twilioSignature(authToken, url, params));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
