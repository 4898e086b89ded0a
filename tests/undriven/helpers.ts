// Shared by the undriven suites: warnings collected instead of printed, and the line of a marker.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'vitest';
import { setWarningSink } from '../../src/undriven.js';

export interface Warning { message: string; code: string }

/** Collects every warning of each test of the calling file (restores the default sink afterwards). */
export function collectWarnings(): Warning[] {
  const warnings: Warning[] = [];
  let restore: () => void = () => {};
  beforeEach(() => { warnings.length = 0; restore = setWarningSink((message, code) => warnings.push({ message, code })); });
  afterEach(() => restore());
  return warnings;
}

/** A function giving the 1-based line of `file` (a test's `import.meta.filename`) that holds `marker`. */
export function linesOf(file: string): (marker: string) => number {
  const source = readFileSync(file, 'utf8').split('\n');
  return (marker) => {
    const line = source.findIndex((text) => text.includes(marker)) + 1;
    if (line === 0) throw new Error(`no line holds ${marker}`);
    return line;
  };
}

/** What each warning names, as users write the call (`'queue.get()'`). */
export const named = (warnings: Warning[]): string[] => warnings.map((w) => w.message.split(' at ')[0]!);
