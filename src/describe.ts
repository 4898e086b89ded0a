/** Formats a value for an argument error: "`NaN` (number)", "`\"1\"` (string)", "a generator object". */
export function describe(value: unknown): string {
  if (value === null) return '`null`';
  const type = typeof value;
  if (type === 'string') return `\`${JSON.stringify(value)}\` (string)`;
  if (type === 'number' || type === 'boolean' || type === 'bigint' || type === 'undefined') {
    return `\`${String(value)}\` (${type})`;
  }
  if (type === 'symbol') return `\`${String(value)}\` (symbol)`;
  if (type === 'function') {
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    const name = (value as { name?: string }).name || 'anonymous';
    return tag === 'Function' ? `a function (${name})` : `an ${tag === 'AsyncFunction' ? 'async function' : tag} (${name})`;
  }
  const tag = Object.prototype.toString.call(value).slice(8, -1);
  if (tag === 'Generator') return 'a generator object';
  if (tag === 'Promise') return 'a Promise';
  return `${/^[AEIOU]/.test(tag) ? 'an' : 'a'} ${tag}`;
}

/** Throws a TypeError/RangeError unless `ms` is a number ≥ 0 (Infinity allowed when `infinite`). */
export function checkMilliseconds(name: string, ms: unknown, infinite = true): number {
  if (typeof ms !== 'number') {
    throw new TypeError(`Expected \`${name}\` to be a number ≥ 0 (milliseconds), got ${describe(ms)}`);
  }
  if (!(ms >= 0) || (!infinite && ms === Infinity)) {
    throw new RangeError(
      `Expected \`${name}\` to be a ${infinite ? '' : 'finite '}number ≥ 0 (milliseconds), got ${describe(ms)}`);
  }
  return ms;
}
