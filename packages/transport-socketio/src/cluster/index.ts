/**
 * `@voxduplex/transport-socketio/cluster` (Node only): a voice server on the workers of Node's
 * `cluster` module — the primary routes each connection to a worker and keeps a long-polling
 * session's requests on the worker that holds it. Resuming a session on another worker needs a
 * shared `sessionStore` as well (`@voxduplex/session-store-redis`).
 */
export { ConnectionBalancer } from './connection-balancer';
export { type BalancerMessage, type HandedConnection, receiveConnections } from './connection-receiver';
