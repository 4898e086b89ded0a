/**
 * giambio/browser: a loop host for browsers, and browser APIs (fetch, WebSocket, DOM events,
 * animation frames) as cancellable operations. Environment-specific, but no node: imports.
 *
 * @module giambio/browser
 */
export { browserHost } from './host.js';
export { fetch, readBytes, readText, readJson, type FetchInput } from './fetch.js';
export { connect, WebSocketConnection, type WebSocketMessage, type ConnectOptions, type CloseInfo } from './websocket.js';
export { once, on, type EventStream, type EventOptions } from './events.js';
export { nextFrame } from './frame.js';
