export { type GoogleClientOptions, googleClientOptions } from './client-options';
export { type GoogleConnection, googleConnectionSchema } from './connection';
export { grpcCode, voxErrorFromGrpc } from './grpc-errors';
