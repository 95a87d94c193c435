const XML_ESCAPES: Record<string, string> = {
  '<': '&lt;',
  '>': '&gt;',
  '&': '&amp;',
  '"': '&quot;',
  "'": '&apos;',
};

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (char) => XML_ESCAPES[char] ?? char);
}

/** `1.25` → `+25%`, `0.8` → `-20%`: the relative form Azure's `<prosody rate>` takes. */
export function prosodyRate(rate: number): string {
  const percent = Math.round((rate - 1) * 100);
  return `${percent >= 0 ? '+' : ''}${percent}%`;
}

/**
 * The SSML document for one text: the voice, and a prosody rate when it is not 1. The text is
 * XML-escaped, so markup in it is spoken, not interpreted.
 */
export function buildSsml(text: string, voice: string, rate: number, language?: string): string {
  const lang = language ?? /^[a-z]{2,3}-[A-Z]{2}/.exec(voice)?.[0] ?? 'en-US';
  const body =
    rate === 1 ? escapeXml(text) : `<prosody rate="${prosodyRate(rate)}">${escapeXml(text)}</prosody>`;
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${escapeXml(lang)}">` +
    `<voice name="${escapeXml(voice)}">${body}</voice></speak>`
  );
}
