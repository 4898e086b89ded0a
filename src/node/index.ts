/**
 * giambio/node: the Node host and I/O for giambio tasks — TCP/TLS sockets, UDP, DNS, files,
 * subprocesses, signals and main(). Everything node-specific lives under src/node/; the core
 * entry (`giambio`) stays free of node: imports. This file only re-exports.
 *
 * @module giambio/node
 */
export { nodeHost } from './host.js';
export { main, mainWith, type MainOptions } from './main.js';
export { AsyncSocket, wrapSocket } from './socket.js';
export { connect, listen, socketPair, AsyncServer, type ConnectOptions, type ListenOptions, type ServerAddress } from './tcp.js';
export { serveTcp, type ServeTcpOptions } from './serve.js';
export { NetworkChannel } from './network-channel.js';
export { openUdpSocket, AsyncUdpSocket, type UdpSocketOptions, type Datagram } from './udp.js';
export { getAddrInfo, type AddrInfo, type GetAddrInfoOptions } from './dns.js';
export { open, readFile, writeFile, AsyncFile } from './file.js';
export { runProcess, runProcessBytes, type RunProcessOptions, type ProcessResult } from './process.js';
export { openSignalReceiver, SignalReceiver } from './signal.js';
export { errorCode, type SystemErrorInfo } from './os-error.js';
