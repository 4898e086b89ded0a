// The cross-runtime suite, loading the package as ES modules. Runs under node --test, bun test and
// deno test, in a consumer that has the packed tarball in node_modules/giambio.
import * as g from 'giambio';
import * as testing from 'giambio/testing';
import * as browser from 'giambio/browser';
import suite from './suite.cjs';

let test;
if (typeof Deno !== 'undefined') {
  test = (name, fn, options = {}) => Deno.test({ name, fn, sanitizeResources: !options.channel, sanitizeOps: !options.channel });
} else if (typeof Bun !== 'undefined') {
  const { test: bunTest } = await import('bun:test');
  test = (name, fn) => bunTest(name, fn);
} else {
  const { test: nodeTest } = await import('node:test');
  test = (name, fn) => nodeTest(name, fn);
}

suite.defineSuite(test, { g, testing, browser, flavour: 'esm' });
