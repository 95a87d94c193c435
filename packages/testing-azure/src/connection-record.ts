/** What the emulator saw on one connection, for assertions. */
export interface ConnectionRecord {
  readonly id: number;
  readonly kind: 'recognition' | 'synthesis';
  readonly path: string;
  /** Query parameters of the upgrade request (the SDK puts key, token and options here). */
  readonly query: Readonly<Record<string, string>>;
  /** The bearer token used, when the client authenticated with one. */
  readonly token: string | undefined;
  /** HTTP status the upgrade got: 101 when accepted. */
  status: number;
  isOpen: boolean;
  /** Close code the socket ended with, once closed. */
  closeCode: number | undefined;
  /** Bodies of `speech.context` / `synthesis.context` messages, parsed, in order. */
  readonly contexts: unknown[];
  /** SSML documents received (synthesis). */
  readonly ssml: string[];
  /** Recognition turns started (one per `X-RequestId`). */
  turns: number;
  /** Raw PCM bytes received (recognition), WAV headers excluded. */
  audioBytes: number;
  /** Final phrases sent, in order (recognition). */
  readonly phrases: string[];
}
