/** Polls `predicate` every 5 ms until it holds; rejects after `limitMs` so a broken test fails, not hangs. */
export async function until(predicate: () => boolean, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
