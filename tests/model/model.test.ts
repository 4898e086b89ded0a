/**
 * Model-based tests: random programs (nested pools, spawns, sleeps, checkpoints, cancellation,
 * timeouts, deadline moves, failures, shields, joins, Events, Queues) run on giambio and on an
 * independent reference model (reference-model.ts); the traces must be equal line for line, and
 * giambio must keep its invariants (every task ends once, every finally runs once, sleeps wake on
 * time, no resume after the end, nothing left in the core). See docs/guide/internals.md.
 *
 * Replaying a failure: fast-check prints `seed` and `path`; run
 *   GIAMBIO_SEED=<seed> GIAMBIO_PATH="<path>" npx vitest run tests/model -t "<failing test name>"
 * GIAMBIO_RUNS=<n> changes the number of programs of each property.
 */
import { afterAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { normalize, programArbitrary, show, size, type Program } from './program.js';
import { runOnGiambio } from './run-giambio.js';
import { runOnModel } from './reference-model.js';

const env = process.env;
const seed = env.GIAMBIO_SEED !== undefined ? Number(env.GIAMBIO_SEED) : undefined;
const path = env.GIAMBIO_PATH;
const runs = env.GIAMBIO_RUNS !== undefined ? Number(env.GIAMBIO_RUNS) : undefined;

/** fast-check parameters: the seed/path from the environment replay one failure. */
function params(numRuns: number): fc.Parameters<[Program]> {
  return {
    numRuns: runs ?? numRuns,
    ...(seed !== undefined ? { seed } : {}),
    ...(path !== undefined ? { path } : {}),
  };
}

function excerpt(a: string[], b: string[]): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const from = Math.max(0, i - 12);
  const side = (lines: string[]) => lines.slice(from, i + 6).map((l, k) => `${from + k === i ? '>' : ' '} ${from + k}: ${l}`).join('\n');
  return `first difference at line ${i}\n--- giambio\n${side(a)}\n--- model\n${side(b)}`;
}

const counts = { programs: 0, statements: 0, lateSpawns: 0 };

/** Runs `program` on giambio and on the model and throws a readable report of every difference. */
async function compare(program: Program): Promise<void> {
  const giambio = await runOnGiambio(program);
  const model = runOnModel(program, giambio.steps);
  counts.programs++;
  counts.lateSpawns += model.lateSpawns;
  counts.statements += size(program.body);
  const problems = [...giambio.violations.map((v) => `giambio: ${v}`), ...model.errors];
  if (giambio.outcome !== model.outcome) problems.push(`root outcome: giambio ${giambio.outcome}, model ${model.outcome}`);
  const a = giambio.trace.lines;
  const b = model.trace.lines;
  if (a.length !== b.length || a.some((line, i) => line !== b[i])) problems.push(excerpt(a, b));
  if (problems.length > 0) throw new Error(`${problems.join('\n')}\n--- program\n${show(program)}`);
}

describe('model-based', () => {
  afterAll(() => {
    console.log(`model: ${counts.programs} programs compared (${counts.statements} statements, ` +
      `${counts.lateSpawns} spawns into a pool whose children had all ended)`);
  });

  it('giambio matches the reference model on random programs with failures, cancellation and timeouts', async () => {
    await fc.assert(fc.asyncProperty(programArbitrary('mixed').map(normalize), compare), params(7_000));
  }, 120_000);

  it('giambio matches the reference model on random programs of tasks talking through Events, Queues and joins', async () => {
    await fc.assert(fc.asyncProperty(programArbitrary('talk').map(normalize), compare), params(5_000));
  }, 120_000);

  it('giambio matches the reference model on random programs of nested pools and spawns into outer pools', async () => {
    await fc.assert(fc.asyncProperty(programArbitrary('nested').map(normalize), compare), params(3_000));
  }, 120_000);

  it('the generated programs reach the situations the comparison is about', () => {
    // A guard on the generator (weights, sizes, normalisation): on a fixed sample, the model's
    // traces must show each of these often enough, or the comparisons above would prove little.
    const situations: Record<string, RegExp | ((text: string) => boolean)> = {
      'a child fails': /^\S+ t\d+ end failed e\d+$/m,
      'ErrorStack of several failures': /ErrorStack\[/,
      'withTimeout raises TooSlowError': /pool#\d+ raised TooSlowError/,
      'skipAfter returns undefined': /pool#\d+ -> undefined timedOut/,
      'a task cancelled before its first step': (text) =>
        [...text.matchAll(/^\S+ (t\d+) end cancelled$/gm)].some(([, name]) => !text.includes(` ${name} start`)),
      'a parked task cancelled': /raised CancelledError|catch#\d+ CancelledError/,
      'a try catches CancelledError': /catch#\d+ CancelledError/,
      'a finally block runs': /finally#\d+/,
      'a deadline moved': /deadline#\d+/,
      'a GiambioError (spawn into an exited pool, Event triggered twice, …)': /GiambioError/,
      'Event.wait returns the value': /wait#\d+ -> x\d+/,
      'Queue.get returns an item': /get#\d+ -> \d+/,
      'join returns a result': /join#\d+ -> v\d+/,
      'join raises TaskCancelledError': /join#\d+ raised TaskCancelledError/,
      'yield of a foreign value': /TypeError/,
      'the outer horizon cancels what still waits': /^1000 /m,
    };
    const seen = Object.fromEntries(Object.keys(situations).map((k) => [k, 0]));
    for (const profile of ['mixed', 'talk', 'nested'] as const) {
      for (const program of fc.sample(programArbitrary(profile).map(normalize), { numRuns: 1000, seed: 42 })) {
        const text = runOnModel(program, null).trace.lines.join('\n');
        for (const [name, test] of Object.entries(situations)) if (typeof test === 'function' ? test(text) : test.test(text)) seen[name]!++;
      }
    }
    if (process.env.GIAMBIO_COVERAGE === "1") console.log(seen);
    for (const [name, count] of Object.entries(seen)) expect(count, `programs where: ${name}`).toBeGreaterThanOrEqual(10);
  });

  it('the same program gives the same trace twice (deterministic scheduling on the virtual clock)', async () => {
    const programs = fc.oneof(programArbitrary('mixed'), programArbitrary('talk'), programArbitrary('nested')).map(normalize);
    await fc.assert(
      fc.asyncProperty(programs, async (program) => {
        const a = await runOnGiambio(program);
        const b = await runOnGiambio(program);
        if (a.trace.lines.join('\n') !== b.trace.lines.join('\n') || a.outcome !== b.outcome) {
          throw new Error(`${excerpt(a.trace.lines, b.trace.lines)}\n--- program\n${show(program)}`);
        }
      }),
      params(500),
    );
  }, 60_000);
});
