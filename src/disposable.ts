/**
 * The disposal symbols (`using`, `await using`), for every resource's `[Symbol.dispose]`.
 * Discussion: the global declaration below is what TypeScript's `esnext.disposable` lib and
 * @types/node both declare, word for word, so it merges with either; it lets a consumer whose `lib`
 * stops at es2022 (a browser app without Node types) compile giambio's declarations with
 * `skipLibCheck: false`. At run time the symbols fall back to the registry keys that esbuild's and
 * TypeScript's `using` lowering look up on runtimes that do not define them yet.
 */
declare global {
  interface SymbolConstructor {
    readonly dispose: unique symbol;
    readonly asyncDispose: unique symbol;
  }
}

/** `Symbol.dispose`, or its registry fallback. */
export const disposeSymbol = (Symbol.dispose ?? Symbol.for('Symbol.dispose')) as typeof Symbol.dispose;
/** `Symbol.asyncDispose`, or its registry fallback. */
export const asyncDisposeSymbol = (Symbol.asyncDispose ?? Symbol.for('Symbol.asyncDispose')) as typeof Symbol.asyncDispose;
