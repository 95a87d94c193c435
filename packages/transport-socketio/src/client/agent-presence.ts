/**
 * Tells a client that nothing serves its namespace, instead of leaving it `connecting`. Two ways
 * that happens: the server never created the namespace (Socket.IO refuses the connection with
 * its own `Invalid namespace`, and does not retry), or the namespace exists (the root one always
 * does) but no voice agent is attached, so the connection opens and `ready` never comes.
 *
 * Call `connected()` when the connection opens, `answered()` at `ready` or when the connection
 * drops; `onMissing` gets the sentence to show the developer.
 */
export class AgentPresence {
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** How long `ready` may take after the connection opens, ms; 0 waits forever. */
    readonly readyTimeoutMs: number,
    readonly onMissing: (message: string) => void,
  ) {}

  /** The connection to `namespace` opened: `ready` is due within `readyTimeoutMs`. */
  connected(namespace: string): void {
    this.answered();
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
