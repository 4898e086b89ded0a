/**
 * WebSocket as a task-friendly connection: `connect(url)` waits for the handshake and returns a
 * `WebSocketConnection` with `send`, `receive` and `close` operations.
 *
 * Discussion: the connection listens from the moment the socket is created and buffers every
 * message until a task takes it, and a message is handed to a waiting receiver only by waking it
 * (a woken task keeps its value even if cancelled before it runs). So a cancelled `receive()`
 * never loses a message: the next `receive()` gets it. The browser's send buffer is unbounded and
 * has no drain event, so `send` does not wait; watch `bufferedAmount` to pace a fast producer.
 */
import { checkOptions, typeError } from '../check.js';
import { EndOfChannel, ResourceBroken, ResourceClosed } from '../errors.js';
import { runningKernel } from '../run-context.js';
import type { Operation, TaskImpl } from '../task.js';
import { scheduleTrap, parkOnHost } from '../trap.js';
import { WaitQueue } from '../wait-queue.js';
import { waitForHost } from '../host-wait.js';
import { guardOperations } from '../operation-guard.js';
import { throwIfCancelled } from '../cancel-point.js';
import { trackOperation } from '../undriven.js';
import { disposeSymbol } from '../disposable.js';

/** What a WebSocket delivers: text, or bytes (an ArrayBuffer, or a Blob with binaryType 'blob'). */
export type WebSocketMessage = string | ArrayBuffer | Blob;

/** Options of `connect(url, options)`. */
export interface ConnectOptions {
  /** Sub-protocols offered to the server. */
  protocols?: string | string[];
  /** How binary messages arrive (default `'arraybuffer'`). */
  binaryType?: 'arraybuffer' | 'blob';
}

/** How the connection ended: the close frame's code and reason, and whether the close was clean. */
export interface CloseInfo {
  /** The close code (1000 = normal closure, 1006 = closed without a close frame). */
  code: number;
  /** The close reason the peer sent, or an empty string. */
  reason: string;
  /** The closing handshake completed. */
  wasClean: boolean;
}

const OPEN = 0;          // usable
const CLOSED_HERE = 1;   // close() was called on this side
const CLOSED_PEER = 2;   // the server closed cleanly
const BROKEN = 3;        // the connection failed (error event, or an unclean close)

/**
 * A WebSocket as a task-friendly connection. Made by `connect()`; `new WebSocketConnection(socket)`
 * wraps a socket you created yourself (it must not be closed yet; binaryType is left as set).
 */
export class WebSocketConnection {
  readonly #socket: WebSocket;
  /** Messages received and not yet taken, oldest first. */
  readonly #buffer: WebSocketMessage[] = [];
  /** Tasks parked in receive(), oldest first (parked on the host: the kernel counts them). */
  readonly #receivers = new WaitQueue();
  #state = OPEN;
  #closeInfo: CloseInfo | null = null;
  /** Called when the socket's close event comes (close() waits for it). */
  #onClosed: Array<() => void> = [];

  /** Listens at once: nothing the socket receives after this is lost. */
  constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.addEventListener('message', this.#onMessage);
    socket.addEventListener('error', this.#onError);
    socket.addEventListener('close', this.#onClose);
  }

  readonly #onMessage = (event: MessageEvent): void => {
    const receiver = this.#receivers.shift();
    if (receiver === null) { this.#buffer.push(event.data as WebSocketMessage); return; }
    if (receiver.kernel.failure === null) receiver.kernel.wake(receiver, event.data);
  };

  readonly #onError = (): void => {
    if (this.#state === OPEN) this.#state = BROKEN;
  };

  readonly #onClose = (event: CloseEvent): void => {
    this.#closeInfo = { code: event.code, reason: event.reason, wasClean: event.wasClean };
    if (this.#state === OPEN) this.#state = event.wasClean ? CLOSED_PEER : BROKEN;
    this.#socket.removeEventListener('message', this.#onMessage);
    this.#socket.removeEventListener('error', this.#onError);
    this.#socket.removeEventListener('close', this.#onClose);
    this.#wakeReceivers();
    const waiting = this.#onClosed;
    this.#onClosed = [];
    for (const fn of waiting) fn();
  };

  readonly #abortReceive = (task: TaskImpl): boolean => {
    return this.#receivers.remove(task);
  };

  /** The error a receive or send meets now, or null while the connection is usable. */
  #ended(): Error | null {
    const info = this.#closeInfo;
    const how = info === null ? '' : ` (code ${info.code}${info.reason ? `, ${JSON.stringify(info.reason)}` : ''})`;
    switch (this.#state) {
      case CLOSED_HERE: return new ResourceClosed('the WebSocket connection was closed');
      case CLOSED_PEER: return new EndOfChannel(`the server closed the WebSocket connection${how}`);
      case BROKEN: return new ResourceBroken(`the WebSocket connection failed${how}`);
    }
    return null;
  }

  #wakeReceivers(): void {
    for (let t = this.#receivers.shift(); t !== null; t = this.#receivers.shift()) {
      if (t.kernel.failure === null) t.kernel.wakeThrow(t, this.#ended());
    }
  }

  /**
   * Returns the oldest message not yet taken, waiting for one if needed. Always a checkpoint.
   * Messages that came before the close are still returned after it.
   * @throws {EndOfChannel} the server closed the connection and every message was taken.
   * @throws {ResourceClosed} `close()` was called on this side.
   * @throws {ResourceBroken} the connection failed.
   */
  *receive(): Operation<WebSocketMessage> {
    const kernel = runningKernel('WebSocketConnection.receive()');
    const me = kernel.current!;
    throwIfCancelled(me);
    if (this.#buffer.length > 0 && this.#state !== CLOSED_HERE) {
      const message = this.#buffer.shift()!;
      yield scheduleTrap;
      return message;
    }
    const ended = this.#ended();
    if (ended !== null) throw ended;
    this.#receivers.push(me);
    return (yield parkOnHost(this.#abortReceive, 'WebSocket message')) as WebSocketMessage;
  }

  /**
   * Queues `data` for sending (the browser buffers it; see `bufferedAmount`). A checkpoint: a
   * cancelled task sends nothing.
   * @throws {ResourceClosed | ResourceBroken | EndOfChannel} if the connection has ended.
   */
  *send(data: string | ArrayBufferLike | Blob | ArrayBufferView): Operation<void> {
    const me = runningKernel('WebSocketConnection.send()').current!;
    throwIfCancelled(me);
    const ended = this.#ended() ?? (this.#socket.readyState !== 1 ? new ResourceBroken('the WebSocket is not open') : null);
    if (ended !== null) throw ended instanceof EndOfChannel ? new ResourceBroken(ended.message) : ended;
    this.#socket.send(data as string);
    yield scheduleTrap;
  }

  /**
   * Closes the connection (code 1000 by default) and waits for the closing handshake to finish.
   * Receivers waiting now get `ResourceClosed`. Cancelling the wait leaves the socket closing.
   * Safe to call twice.
   */
  close(code = 1000, reason = ''): Operation<void> {
    return trackOperation(this.#close(code, reason), 'ws.close()');
  }

  *#close(code = 1000, reason = ''): Operation<void> {
    const me = runningKernel('WebSocketConnection.close()').current!;
    this.closeNow(code, reason);
    // The close has started either way; a cancelled task only skips waiting for the handshake.
    throwIfCancelled(me);
    if (this.#closeInfo !== null) {
      yield scheduleTrap;
      return;
    }
    yield* waitForHost<void>('WebSocketConnection.close()', 'WebSocket close', (settle) => {
      const done = (): void => settle.resolve();
      this.#onClosed.push(done);
      return () => { this.#onClosed = this.#onClosed.filter((fn) => fn !== done); };
    });
  }

  /**
   * Starts closing at once, without waiting for the handshake: synchronous and idempotent, for
   * `finally` blocks that release several resources and for `using`. Receivers waiting now get
   * `ResourceClosed`.
   * @example
   * using ws = yield* connect('wss://example.com/feed');
   */
  closeNow(code = 1000, reason = ''): void {
    if (this.#state === OPEN) this.#state = CLOSED_HERE;
    if (this.#closeInfo === null) {
      if (this.#socket.readyState < 2) this.#socket.close(code, reason);
      this.#wakeReceivers();
    }
  }

  /** `closeNow()`, for `using ws = …`. */
  [disposeSymbol](): void {
    this.closeNow();
  }

  /** How the connection ended, once it has (null before). */
  get closeInfo(): CloseInfo | null {
    return this.#closeInfo;
  }

  /** Bytes queued by `send` and not yet handed to the network. */
  get bufferedAmount(): number {
    return this.#socket.bufferedAmount;
  }

  /** The sub-protocol the server chose ('' if none). */
  get protocol(): string {
    return this.#socket.protocol;
  }

  /** The URL of the connection, as the browser resolved it. */
  get url(): string {
    return this.#socket.url;
  }

  /** What the connection holds now, for dashboards and tests. */
  statistics(): {
    /** Messages received and not yet taken by `receive()`. */
    buffered: number;
    /** Tasks waiting in `receive()`. */
    receiversWaiting: number;
    /** Bytes queued by `send` and not yet handed to the network. */
    bufferedAmount: number;
    /** The connection is open (not closing, closed or broken). */
    open: boolean;
  } {
    return {
      buffered: this.#buffer.length, receiversWaiting: this.#receivers.length,
      bufferedAmount: this.#socket.bufferedAmount, open: this.#state === OPEN,
    };
  }
}

/**
 * Opens a WebSocket to `url` and waits for the handshake. Cancelling the task closes the socket.
 * @example
 * import { connect } from 'giambio/browser';
 * const ws = yield* connect('wss://example.com/feed');
 * try {
 *   yield* ws.send('subscribe');
 *   for (;;) console.log(yield* ws.receive());
 * } finally {
 *   yield* shield(function* () { yield* ws.close(); });
 * }
 * @throws {ResourceBroken} if the connection cannot be established.
 */
export function connect(url: string | URL, options: ConnectOptions = {}): Operation<WebSocketConnection> {
  return trackOperation(connectOp(url, options), 'connect()');
}

function* connectOp(url: string | URL, options: ConnectOptions = {}): Operation<WebSocketConnection> {
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw typeError(`connect()'s \`url\``, 'a string or URL', url);
  }
  checkOptions('connect() options', options);
  if (typeof WebSocket !== 'function') throw new TypeError('connect() needs WebSocket, which this environment does not have');
  const href = String(url);
  return yield* waitForHost<WebSocketConnection>('connect()', `WebSocket connect ${href}`, (settle) => {
    const socket = new WebSocket(url, options.protocols);
    socket.binaryType = options.binaryType ?? 'arraybuffer';
    const connection = new WebSocketConnection(socket);
    const onOpen = (): void => { unlisten(); settle.resolve(connection); };
    const onClose = (event: CloseEvent): void => {
      unlisten();
      settle.reject(new ResourceBroken(`could not open a WebSocket to ${href} (code ${event.code})`));
    };
    const unlisten = (): void => {
      socket.removeEventListener('open', onOpen);
      socket.removeEventListener('close', onClose);
    };
    socket.addEventListener('open', onOpen);
    socket.addEventListener('close', onClose);
    return () => { unlisten(); socket.close(); };
  });
}

// Awaiting any operation these make rejects (operation-guard.ts).
guardOperations(connect, WebSocketConnection);
