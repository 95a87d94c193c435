import { describe, expect, it } from 'vitest';
import { buildSsml, prosodyRate } from './ssml';

describe('buildSsml', () => {
  it('speaks markup in the text instead of interpreting it', () => {
    expect(buildSsml('a < b & "c"', 'en-US-JennyNeural', 1)).toBe(
      '<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="en-US">' +
        '<voice name="en-US-JennyNeural">a &lt; b &amp; &quot;c&quot;</voice></speak>',
    );
  });

  it('takes the language from the voice unless one is given', () => {
    expect(buildSsml('x', 'fr-FR-DeniseNeural', 1)).toContain('xml:lang="fr-FR"');
    expect(buildSsml('x', 'fr-FR-DeniseNeural', 1, 'fr-CA')).toContain('xml:lang="fr-CA"');
  });

  it('adds a relative prosody rate only when the rate is not 1', () => {
    expect(buildSsml('x', 'v', 1)).not.toContain('prosody');
    expect(buildSsml('x', 'v', 0.8)).toContain('<prosody rate="-20%">x</prosody>');
    expect(prosodyRate(1.5)).toBe('+50%');
    expect(prosodyRate(1)).toBe('+0%');
  });
});
