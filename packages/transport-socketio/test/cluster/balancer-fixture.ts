// A minimal cluster around ConnectionBalancer, for connection-balancer.test.ts: two workers,
// each a bare Socket.IO server that greets a connection with its pid.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { ConnectionBalancer, receiveConnections } from '../../src/cluster/index';

const WORKERS = 2;

if (cluster.isPrimary) {
  const balancer = new ConnectionBalancer();
  let ready = 0;
  cluster.on('message', (worker, message) => {
    if (message !== 'ready') return;
    balancer.admit(worker);
    if (++ready === WORKERS) console.log(`listening ${(balancer.server.address() as AddressInfo).port}`);
  });
  balancer.server.listen(0, '127.0.0.1', () => {
    for (let i = 0; i < WORKERS; i++) cluster.fork();
  });
  process.once('SIGTERM', () => {
    balancer.close();
    for (const worker of Object.values(cluster.workers ?? {})) worker?.kill();
    process.exit(0);
  });
} else {
  const io = new Server(createServer());
  receiveConnections(io);
  io.on('connection', (socket) => {
    socket.emit('hello', process.pid);
    socket.on('whoami', (ack: (pid: number) => void) => ack(process.pid));
  });
  process.send?.('ready');
}
