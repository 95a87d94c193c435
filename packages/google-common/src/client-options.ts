import { type ClientOptions, grpc } from 'google-gax';
import type { GoogleConnection } from './connection';

/** The subset of `ClientOptions` (google-gax) the adapters set. */
export interface GoogleClientOptions extends ClientOptions {
  keyFilename?: string;
  credentials?: { client_email: string; private_key: string };
  projectId?: string;
  apiEndpoint?: string;
  port?: number;
  sslCreds?: grpc.ChannelCredentials;
  universeDomain?: string;
}

/**
 * Maps our connection options to the vendor client's constructor options. `grpc` comes from the
 * `google-gax` the client itself uses: credentials from another `@grpc/grpc-js` copy fail its
 * `instanceof` check. An insecure endpoint also pins the universe domain, so the client looks for
 * no credentials (and never probes the GCE metadata server).
 */
export function googleClientOptions(connection: GoogleConnection): GoogleClientOptions {
  const options: GoogleClientOptions = {};
  if (connection.keyFilename) options.keyFilename = connection.keyFilename;
  if (connection.credentials) {
    options.credentials = {
      client_email: connection.credentials.clientEmail,
      private_key: connection.credentials.privateKey,
    };
  }
  if (connection.projectId) options.projectId = connection.projectId;
  if (connection.endpoint) {
    options.apiEndpoint = connection.endpoint.host;
    if (connection.endpoint.port !== undefined) options.port = connection.endpoint.port;
    if (connection.endpoint.insecure) {
      options.sslCreds = grpc.credentials.createInsecure();
      options.universeDomain = 'googleapis.com';
    }
  }
  return options;
}
