/**
 * Argument checks for giambio/node, made before any I/O starts. Messages say what was expected
 * and what came (see `describe`).
 * @internal
 */
import { describe } from '../describe.js';

/** A non-empty host name or address. */
export function checkHost(name: string, host: unknown): string {
  if (typeof host !== 'string') throw new TypeError(`Expected \`${name}\` to be a host name or IP address (string), got ${describe(host)}`);
  if (host.length === 0 || host.length > 255 || /[\s\0/]/.test(host)) {
    throw new TypeError(`Expected \`${name}\` to be a host name or IP address, got ${describe(host)}`);
  }
  return host;
}

/** An integer port in 1‥65535 (0 too when `ephemeral`: let the system pick). */
export function checkPort(name: string, port: unknown, ephemeral: boolean): number {
  if (typeof port !== 'number') throw new TypeError(`Expected \`${name}\` to be a port number, got ${describe(port)}`);
  const low = ephemeral ? 0 : 1;
  if (!Number.isInteger(port) || port < low || port > 65535) {
    throw new RangeError(`Expected \`${name}\` to be an integer from ${low} to 65535, got ${describe(port)}`);
  }
  return port;
}

/** A positive integer byte count. */
export function checkByteCount(name: string, n: unknown): number {
  if (typeof n !== 'number') throw new TypeError(`Expected \`${name}\` to be a number of bytes ≥ 1, got ${describe(n)}`);
  if (!Number.isInteger(n) || n < 1) throw new RangeError(`Expected \`${name}\` to be an integer ≥ 1, got ${describe(n)}`);
  return n;
}

/** Bytes to send: a Uint8Array as is, a string as UTF-8. */
export function toBytes(name: string, data: unknown): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  throw new TypeError(`Expected \`${name}\` to be a Uint8Array or a string, got ${describe(data)}`);
}

/** An options object (or undefined). */
export function checkOptions<T extends object>(name: string, options: unknown): T {
  if (options === undefined) return {} as T;
  if (typeof options !== 'object' || options === null) throw new TypeError(`Expected \`${name}\` to be an object, got ${describe(options)}`);
  return options as T;
}
