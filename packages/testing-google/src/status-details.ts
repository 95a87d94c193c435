import { grpc } from 'google-gax';

// Hand-written protobuf: three tiny messages are not worth a schema compiler.
function varint(value: number): number[] {
  const bytes: number[] = [];
  let rest = Math.floor(value);
  while (rest > 0x7f) {
    bytes.push((rest & 0x7f) | 0x80);
    rest = Math.floor(rest / 128);
  }
  bytes.push(rest);
  return bytes;
}

function field(number: number, wireType: 0 | 2, payload: number | Uint8Array): number[] {
  const key = varint((number << 3) | wireType);
  if (typeof payload === 'number') return [...key, ...varint(payload)];
  return [...key, ...varint(payload.length), ...payload];
}

/**
 * Trailing metadata carrying a `google.rpc.Status` whose details hold a `google.rpc.RetryInfo`
 * (`grpc-status-details-bin`), as Google sends with RESOURCE_EXHAUSTED. `google-gax` decodes
 * it into the error's `statusDetails`.
 */
export function retryInfoMetadata(code: number, message: string, retryDelayMs: number): grpc.Metadata {
  const seconds = Math.floor(retryDelayMs / 1000);
  const nanos = Math.round((retryDelayMs - seconds * 1000) * 1e6);
  const duration = new Uint8Array([
    ...(seconds > 0 ? field(1, 0, seconds) : []),
    ...(nanos > 0 ? field(2, 0, nanos) : []),
  ]);
  const retryInfo = new Uint8Array(field(1, 2, duration));
  const any = new Uint8Array([
    ...field(1, 2, new TextEncoder().encode('type.googleapis.com/google.rpc.RetryInfo')),
    ...field(2, 2, retryInfo),
  ]);
  const status = new Uint8Array([
    ...field(1, 0, code),
    ...field(2, 2, new TextEncoder().encode(message)),
    ...field(3, 2, any),
  ]);
  const metadata = new grpc.Metadata();
  metadata.set('grpc-status-details-bin', Buffer.from(status));
  return metadata;
}
