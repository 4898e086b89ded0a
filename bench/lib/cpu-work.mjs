// The cpu-offload workload's job: a fixed, checked computation of about 10 ms of CPU (xorshift32
// steps summed), pure and deterministic, so every runtime computes the same numbers. Each job's
// result depends on its seed; the sum of all 64 is checked against CHECKSUM.

/** xorshift32 steps per job: about 10 ms on the machine the workload was calibrated on. */
export const ITERATIONS = 5_000_000;
/** Jobs per run. */
export const JOBS = 64;

/** Runs job `seed` (an integer ≥ 1); returns a 32-bit checksum of its work. */
export function job(seed, iterations = ITERATIONS) {
  let x = seed | 0;
  let acc = 0;
  for (let i = 0; i < iterations; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    acc = (acc + (x & 0xffff)) | 0;
  }
  return acc >>> 0;
}

/** The sum (mod 2^32) of job(1) … job(JOBS) at ITERATIONS: what every run must produce. */
export const CHECKSUM = 1_578_585_707;

/** The tiny call of the per-call overhead measurement: no work, a number in, a number out. */
export function tiny(n) {
  return n + 1;
}
