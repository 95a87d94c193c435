export { type GoogleClientOptions, googleClientOptions } from './client-options';
export { type GoogleConnection, googleConnectionSchema } from './connection';
export { grpcCode, retryDelayMsOf, voxErrorFromGrpc } from './grpc-errors';
