import { describe, expect, it } from 'vitest';
import { isValidTwilioSignature, twilioSignature } from './signature';

// Twilio's published example (Webhooks security): auth token, URL, POST parameters, signature.
const AUTH_TOKEN = '12345';
const URL = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const PARAMS = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675309',
  Digits: '1234',
  From: '+14158675309',
  To: '+18005551212',
};
const SIGNATURE = 'RSOYDt4T1cUTdK1PDd93/VVr8B8=';

describe('X-Twilio-Signature', () => {
  it("reproduces Twilio's documented example, whatever the order of the parameters", () => {
    expect(twilioSignature(AUTH_TOKEN, URL, PARAMS)).toBe(SIGNATURE);
    const reversed = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(twilioSignature(AUTH_TOKEN, URL, reversed)).toBe(SIGNATURE);
  });

  it('accepts the documented signature and refuses any change to token, URL, parameters or signature', () => {
    expect(isValidTwilioSignature(AUTH_TOKEN, SIGNATURE, URL, PARAMS)).toBe(true);
    expect(isValidTwilioSignature('54321', SIGNATURE, URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, SIGNATURE, URL.replace('foo=1', 'foo=2'), PARAMS)).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, SIGNATURE, URL, { ...PARAMS, Digits: '9999' })).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, SIGNATURE, URL, { ...PARAMS, Extra: '' })).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, `${SIGNATURE.slice(0, -2)}x=`, URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, undefined, URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature(AUTH_TOKEN, '', URL, PARAMS)).toBe(false);
    expect(isValidTwilioSignature('', twilioSignature('', URL, PARAMS), URL, PARAMS)).toBe(false);
  });
});
