// A line reader over an AsyncSocket, shared by the examples: `yield* lines.next()` returns the
// next line without its '\n' (and '\r'), or null at EOF. A line longer than `maxLine` bytes is
// returned in pieces, so a client that never sends '\n' cannot grow memory without bound.

export class LineReader {
  #sock;
  #maxLine;
  #buffer = Buffer.alloc(0);
  #eof = false;

  /** @param {import('../dist/node.mjs').AsyncSocket} sock */
  constructor(sock, maxLine = 4096) {
    this.#sock = sock;
    this.#maxLine = maxLine;
  }

  /** The next line (UTF-8, without the newline), or null at EOF. */
  *next() {
    for (;;) {
      const nl = this.#buffer.indexOf(10);
      if (nl !== -1 || this.#buffer.length >= this.#maxLine || (this.#eof && this.#buffer.length > 0)) {
        const end = nl !== -1 ? nl : Math.min(this.#buffer.length, this.#maxLine);
        const line = this.#buffer.subarray(0, end).toString('utf8').replace(/\r$/, '');
        this.#buffer = this.#buffer.subarray(nl !== -1 ? nl + 1 : end);
        return line;
      }
      if (this.#eof) return null;
      const data = yield* this.#sock.receive();
      if (data.length === 0) this.#eof = true;
      else this.#buffer = this.#buffer.length === 0 ? Buffer.from(data.buffer, data.byteOffset, data.length) : Buffer.concat([this.#buffer, data]);
    }
  }
}
