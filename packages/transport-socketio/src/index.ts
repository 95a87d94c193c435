/**
 * Server side of the voxduplex Socket.IO transport, plus the wire protocol (schemas, codecs).
 * The browser client lives at `@voxduplex/transport-socketio/client`.
 */
export * from './protocol/index';
export * from './server/index';
