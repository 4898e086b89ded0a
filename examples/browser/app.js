// The demo page's program: every piece of it is a giambio task on one loop with the browser host.
//   ui ─┬─ render          redraws the statistics and the task tree on each animation frame
//       └─ (per Start)     batch ─┬─ cancel button  waits for a click, then cancels the batch
//                                 └─ requests ─ request 0..N-1   fetch + read, each in withTimeout
// The task tree is drawn from the Task objects the program keeps (name, state), grouped as spawned.
import { EventLoop, createPool, withTimeout, currentTask, TooSlowError, CancelledError } from 'giambio';
import { browserHost, fetch, readJson, on, once, nextFrame } from 'giambio/browser';

const $ = (id) => document.getElementById(id);
const loop = new EventLoop({ host: browserHost });

/** What the tree shows: nodes { task, children, outcome? }. */
const tree = { label: 'ui', task: null, children: [] };
const view = { state: 'idle', counts: { ok: 0, timeout: 0, cancelled: 0, error: 0 }, batches: 0 };

function* request(id, timeoutMs, latency, node) {
  try {
    const reply = yield* withTimeout(timeoutMs, function* () {
      const response = yield* fetch(`/slow?id=${id}&min=${latency.min}&max=${latency.max}`);
      return yield* readJson(response);
    });
    node.outcome = 'ok';
    node.detail = `${reply.ms} ms`;
  } catch (error) {
    if (error instanceof CancelledError) { node.outcome = 'cancelled'; throw error; }
    node.outcome = error instanceof TooSlowError ? 'timeout' : 'error';
    node.detail = error instanceof TooSlowError ? `> ${timeoutMs} ms` : String(error);
  } finally {
    view.counts[node.outcome ?? 'cancelled']++;
  }
}

function* batch(count, timeoutMs, latency) {
  const batchNumber = ++view.batches;
  const batchNode = { label: `batch ${batchNumber}`, task: null, children: [] };
  tree.children = tree.children.filter((n) => n.label === 'render');
  tree.children.push(batchNode);
  view.counts = { ok: 0, timeout: 0, cancelled: 0, error: 0 };
  view.state = 'running';
  $('start').disabled = true;
  $('cancel').disabled = false;
  let cancelled = false;
  try {
    yield* createPool(function* (pool) {
      const watcher = pool.spawnWith({ name: 'cancel button' }, function* () {
        yield* once($('cancel'), 'click');
        cancelled = true;
        pool.cancel();
      });
      batchNode.children.push({ label: 'cancel button', task: watcher, children: [] });
      const requestsNode = { label: 'requests', task: null, children: [] };
      batchNode.children.push(requestsNode);
      yield* createPool(function* (requests) {
        for (let id = 0; id < count; id++) {
          const node = { label: `request ${id}`, task: null, children: [] };
          node.task = requests.spawnWith({ name: `request ${id}` }, request, `${batchNumber}.${id}`, timeoutMs, latency, node);
          requestsNode.children.push(node);
        }
      });
      watcher.cancel();
    });
  } finally {
    view.state = cancelled ? 'cancelled' : 'done';
    $('start').disabled = false;
    $('cancel').disabled = true;
  }
}

function* render() {
  for (;;) {
    yield* nextFrame();
    const stats = loop.statistics();
    const rows = [
      ['tasks alive', stats.tasks.total], ['ready', stats.tasks.ready], ['parked', stats.tasks.parked],
      ['host waits', stats.hostWaits], ['timers', stats.timers], ['scope timers', stats.scopeTimers],
      ['task steps', stats.steps], ['wasm calls', stats.crossings],
    ];
    $('stats').innerHTML = rows.map(([k, v]) => `<tr><th>${k}</th><td data-stat="${k}">${v}</td></tr>`).join('');
    $('tree').innerHTML = `<ul>${drawNode(tree)}</ul>`;
    const { ok, timeout, cancelled, error } = view.counts;
    const summary = $('summary');
    summary.dataset.state = view.state;
    Object.assign(summary.dataset, { ok, timeout, cancelled, error });
    summary.textContent = `${view.state}: ${ok} ok, ${timeout} timed out, ${cancelled} cancelled, ${error} failed`;
  }
}

function drawNode(node) {
  const state = node.outcome ?? (node.task ? node.task.state : '');
  const detail = node.detail ? ` (${node.detail})` : '';
  const children = node.children.length > 0 ? `<ul>${node.children.map(drawNode).join('')}</ul>` : '';
  return `<li><span class="${state}">${node.label}${state ? ` — ${state}` : ''}${detail}</span>${children}</li>`;
}

function* ui() {
  tree.task = currentTask();
  yield* createPool(function* (root) {
    tree.children.push({ label: 'render', task: root.spawnWith({ name: 'render' }, render), children: [] });
    const starts = on($('start'), 'click');
    for (;;) {
      yield* starts.next();
      const count = Math.max(1, Number($('count').value) | 0);
      const latency = { min: Number($('latency-min').value), max: Number($('latency-max').value) };
      yield* batch(count, Number($('timeout').value), latency);
    }
  });
}

loop.run(ui).catch((error) => {
  $('summary').dataset.state = 'crashed';
  $('summary').textContent = `the loop failed: ${error}`;
  throw error;
});
