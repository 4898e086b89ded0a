// The environment-neutral channel and stream suites, run again in real browsers: importing a suite
// registers its tests here. (The node project runs the same files directly.)
import '../channel/open-memory-channel.test.js';
import '../channel/open-memory-channel-cancel-safety.test.js';
import '../channel/broadcast.test.js';
import '../channel/awaiting-operations.test.js';
import '../stream/memory-stream.test.js';
import '../contract/byte-stream-memory.test.js';
import '../stream/lines.test.js';
import '../channel/from-async-iterable.test.js';
