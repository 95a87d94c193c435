/**
 * Tells a client that nothing serves its namespace, instead of leaving it `connecting`. Two ways
 * that happens: the server never created the namespace (Socket.IO refuses the connection with
 * its own `Invalid namespace`, and does not retry), or the namespace exists (the root one always
 * does) but no voice agent is attached, so the connection opens and `ready` never comes.
 *
 * A third way is no voice server at all at that address (nothing listening, or a dev server with
 * no proxy for `/socket.io`): Socket.IO retries forever, so after `readyTimeoutMs` of failed
 * attempts `onUnreachable` says so once, and the retries go on.
 *
 * Call `connected()` when the connection opens, `failedToConnect()` at each failed attempt before
 * any agent answered, `answered()` at `ready` or when the connection drops or the client closes;
 * `onMissing` and `onUnreachable` get the sentence to show the developer.
 */
export class AgentPresence {
  #timer: ReturnType<typeof setTimeout> | undefined;
  #unreachableTimer: ReturnType<typeof setTimeout> | undefined;
  #hasAnswered = false;
  #lastFailure = '';

  constructor(
    /** How long `ready` may take after the connection opens, ms; 0 waits forever. */
    readonly readyTimeoutMs: number,
    readonly onMissing: (message: string) => void,
    readonly onUnreachable: (message: string) => void = () => {},
  ) {}

  /**
   * An attempt to connect to `url` failed with `error` before any agent answered. Once attempts
   * have failed for `readyTimeoutMs`, `onUnreachable` is told, once.
   */
  failedToConnect(url: string, error: Error): void {
    this.#lastFailure = error.message;
    if (this.readyTimeoutMs <= 0 || this.#hasAnswered || this.#unreachableTimer !== undefined) return;
    this.#unreachableTimer = setTimeout(() => {
      // Stays set: one report per client, however long the retries go on.
      this.onUnreachable(
        `no voice server reachable at ${url} for ${this.readyTimeoutMs} ms (${this.#lastFailure}): check ` +
          'that the server runs there and, in development, that your dev server proxies /socket.io ' +
          'with WebSocket upgrades (Vite: ws: true); still retrying',
      );
    }, this.readyTimeoutMs);
  }

  /** The connection to `namespace` opened: `ready` is due within `readyTimeoutMs`. */
  connected(namespace: string): void {
    if (this.#unreachableTimer !== undefined) clearTimeout(this.#unreachableTimer);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    if (this.readyTimeoutMs <= 0) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.onMissing(
        `no voice agent answered on namespace '${namespace}' within ${this.readyTimeoutMs} ms: check ` +
          `that the server attaches one there (attachVoiceAgent(io.of('${namespace}'), …)) and builds ` +
          `its Socket.IO Server with voiceServerOptions(); raise readyTimeoutMs if createSession is slow`,
      );
    }, this.readyTimeoutMs);
  }

  /** `ready` came, the connection dropped, or the client closed: stop waiting. */
  answered(): void {
    this.#hasAnswered = true;
    if (this.#unreachableTimer !== undefined) clearTimeout(this.#unreachableTimer);
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /**
   * Checks a `connect_error` that carries no voice refusal: true (and `onMissing` called) when it
   * is Socket.IO's refusal of a namespace the server does not have. `isRetrying` is the socket's
   * `active` flag: Socket.IO retries network errors itself, never a server's refusal.
   */
  refusedNamespace(error: Error, isRetrying: boolean, namespace: string): boolean {
    if (isRetrying || error.message !== 'Invalid namespace') return false;
    this.onMissing(
      `the server has no namespace '${namespace}': attach the voice agent there ` +
        `(attachVoiceAgent(io.of('${namespace}'), …)) or connect to the namespace it serves`,
    );
    return true;
  }
}
