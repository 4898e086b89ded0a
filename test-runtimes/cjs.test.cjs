// The cross-runtime suite, loading the package with require() (the CommonJS build).
'use strict';
const g = require('giambio');
const testing = require('giambio/testing');
const browser = require('giambio/browser');
const { defineSuite } = require('./suite.cjs');

let test;
if (typeof Deno !== 'undefined') {
  test = (name, fn, options = {}) => Deno.test({ name, fn, sanitizeResources: !options.channel, sanitizeOps: !options.channel });
} else if (typeof Bun !== 'undefined') {
  test = require('bun:test').test;
} else {
  test = require('node:test').test;
}

defineSuite((name, fn, options) => test(name, fn, options), { g, testing, browser, flavour: 'cjs' });
