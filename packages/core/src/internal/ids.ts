/** Short, readable, process-unique ids: `turn_3`, `speech_12`. Random part keeps sessions distinct. */
export function createIdFactory(prefix: string): () => string {
  const salt = Math.random().toString(36).slice(2, 8);
  let next = 0;
  return () => `${prefix}_${salt}_${++next}`;
}
