/** What the emulator reads from an SSML document. */
export interface SsmlRequest {
  readonly voice: string | undefined;
  /** Speaking-rate multiplier from `<prosody rate>`, 1 when absent. */
  readonly rate: number;
  readonly words: string[];
}

const ENTITIES: Record<string, string> = {
  '&lt;': '<',
  '&gt;': '>',
  '&amp;': '&',
  '&quot;': '"',
  '&apos;': "'",
};

/** Parses the parts of SSML the emulator honours: voice name, prosody rate, the spoken words. */
export function parseSsml(ssml: string): SsmlRequest {
  const voice = /<voice\b[^>]*\bname\s*=\s*["']([^"']+)["']/i.exec(ssml)?.[1];
  const rateText = /<prosody\b[^>]*\brate\s*=\s*["']([^"']+)["']/i.exec(ssml)?.[1];
  let rate = 1;
  if (rateText !== undefined) {
    const percent = /^([+-]?\d+(?:\.\d+)?)%$/.exec(rateText.trim());
    if (percent) rate = 1 + Number(percent[1]) / 100;
    else if (Number.isFinite(Number(rateText))) rate = Number(rateText);
  }
  const text = ssml
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(lt|gt|amp|quot|apos);/g, (entity) => ENTITIES[entity] ?? entity);
  return { voice, rate: rate > 0 ? rate : 1, words: text.split(/\s+/).filter((w) => w.length > 0) };
}
