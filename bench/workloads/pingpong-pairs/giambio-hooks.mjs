// pingpong-pairs × giambio-hooks: the giambio script, with every Debugger hook a no-op (see bench/lib/giambio.mjs).
process.env.BENCH_GIAMBIO_HOOKS = "1";
await import("./giambio.mjs");
