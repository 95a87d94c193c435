const MAX_CAUSES = 5;

/**
 * What a log line may say about an error's causes, for servers that log failures:
 * `TypeError: fetch failed ← Error: connect ECONNREFUSED 127.0.0.1:443`: the name and message of
 * each cause, never the object (a vendor error can hold the request, headers included).
 */
export function describeCauses(cause: unknown): string {
  const parts: string[] = [];
  for (let current = cause; current !== undefined && parts.length < MAX_CAUSES; ) {
    if (current instanceof Error) {
      parts.push(`${current.name}: ${current.message}`);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : Object.prototype.toString.call(current));
      current = undefined;
    }
  }
  return parts.join(' ← ');
}
