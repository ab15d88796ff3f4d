// A bounded pool of worker threads that render charts (renderWorker.ts). Rendering a chart is
// Vega's layout plus resvg's rasteriser: up to seconds of CPU for a large PNG. On the service's own
// thread that stalled every other request (a 2000×1500 PNG flood held /healthz for 1.6 s); here the
// event loop only passes messages. node:worker_threads directly, rather than a pool library: a
// queue, a timeout and an idle exit are all this needs.
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { TopLevelSpec } from 'vega-lite';
import { packageRoot } from '../util/packageRoot.js';
import type { RenderReply, RenderRequest } from './renderProtocol.js';

export interface RenderedChart {
  svg: string;
  png?: Uint8Array<ArrayBuffer>;
}

/** What the service renders its charts with: the pool, or anything that answers the same. */
export interface ChartRenderer {
  render(spec: TopLevelSpec, options: { png: boolean }): Promise<RenderedChart>;
}

export interface RenderPoolOptions {
  /** Threads rendering at once. Default: one core is left to the service, 1 to 4 threads. */
  threads?: number;
  /** A render that takes longer fails, and its thread is replaced. Default 60 s. */
  timeoutMs?: number;
  /** Threads exit after this long with nothing to render (they cost ~60 MB each). Default 30 s. */
  idleMs?: number;
}

interface Job {
  request: RenderRequest;
  resolve: (chart: RenderedChart) => void;
  reject: (error: Error) => void;
}

interface Thread {
  worker: Worker;
  job?: Job;
  timer?: NodeJS.Timeout;
}

function defaultRenderThreads(): number {
  return Math.max(1, Math.min(4, availableParallelism() - 1));
}

/**
 * Built, a thread runs dist/charts/renderWorker.js (an entry point of the bundle: this module may
 * sit in a shared chunk elsewhere). From the TypeScript sources (the tests,
 * tsx) it loads renderWorker.ts with tsx's `tsImport`: a loader registered on the service's thread
 * does not reach a worker's. tsx is a development dependency, there only when the sources are.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(join(packageRoot(import.meta.url), 'dist', 'charts', 'renderWorker.js'));
  const require = createRequire(import.meta.url);
  const tsxPackage = require.resolve('tsx/package.json');
  const tsxApi = pathToFileURL(
    join(dirname(tsxPackage), require(tsxPackage).exports['./esm/api'].import.default),
  );
  const workerUrl = new URL('./renderWorker.ts', import.meta.url);
  const source = `import(${JSON.stringify(tsxApi.href)}).then((tsx) => tsx.tsImport(${JSON.stringify(workerUrl.href)}, ${JSON.stringify(import.meta.url)}))`;
  return new Worker(source, { eval: true });
}

export class RenderPool implements ChartRenderer {
  readonly threads: number;
  private readonly timeoutMs: number;
  private readonly idleMs: number;
  private readonly queue: Job[] = [];
  private readonly running = new Set<Thread>();
  private readonly idle: Thread[] = [];
  private idleTimer: NodeJS.Timeout | undefined;
  private nextId = 0;
  private closed = false;

  constructor(options: RenderPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? defaultRenderThreads()));
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.idleMs = options.idleMs ?? 30_000;
  }

  /** Charts waiting for a thread (the routes bound how many can wait: 429 past their limits). */
  get queued(): number {
    return this.queue.length;
  }

  render(spec: TopLevelSpec, options: { png: boolean }): Promise<RenderedChart> {
    if (this.closed) return Promise.reject(new Error('the chart render pool is closed'));
    return new Promise<RenderedChart>((resolve, reject) => {
      this.queue.push({ request: { id: this.nextId++, spec, png: options.png }, resolve, reject });
      this.dispatch();
    });
  }

  /** Stops every thread; charts not yet rendered fail. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.idleTimer);
    for (const job of this.queue.splice(0)) job.reject(new Error('the chart render pool is closed'));
    const threads = [...this.running, ...this.idle.splice(0)];
    this.running.clear();
    for (const thread of threads) {
      clearTimeout(thread.timer);
      thread.job?.reject(new Error('the chart render pool is closed'));
      thread.job = undefined;
    }
    await Promise.all(threads.map((thread) => thread.worker.terminate()));
  }

  private dispatch(): void {
    while (this.queue.length > 0) {
      const thread = this.idle.pop() ?? (this.running.size < this.threads ? this.spawn() : undefined);
      if (!thread) return;
      const job = this.queue.shift() as Job;
      this.start(thread, job);
    }
    this.scheduleIdleExit();
  }

  private spawn(): Thread {
    const worker = startWorker();
    // An idle pool never keeps the process alive (a mounted service has no close hook to call).
    worker.unref();
    const thread: Thread = { worker };
    worker.on('message', (reply: RenderReply) => this.finish(thread, reply));
    worker.on('error', (error) => this.fail(thread, error));
    worker.on('exit', (code) => this.fail(thread, new Error(`a chart render thread exited (code ${code})`)));
    return thread;
  }

  private start(thread: Thread, job: Job): void {
    clearTimeout(this.idleTimer);
    thread.job = job;
    this.running.add(thread);
    thread.timer = setTimeout(() => {
      this.fail(thread, new Error(`rendering a chart took longer than ${this.timeoutMs} ms`));
      void thread.worker.terminate();
    }, this.timeoutMs);
    thread.timer.unref();
    thread.worker.postMessage(job.request);
  }

  private finish(thread: Thread, reply: RenderReply): void {
    const job = thread.job;
    if (!job || job.request.id !== reply.id) return;
    clearTimeout(thread.timer);
    thread.job = undefined;
    this.running.delete(thread);
    this.idle.push(thread);
    if (reply.error !== undefined) job.reject(new Error(`could not render the chart: ${reply.error}`));
    else job.resolve(reply.png ? { svg: reply.svg, png: reply.png } : { svg: reply.svg });
    this.dispatch();
  }

  /** A thread that failed or exited is dropped; its chart fails, the queue moves to a new one. */
  private fail(thread: Thread, error: Error): void {
    clearTimeout(thread.timer);
    const idleAt = this.idle.indexOf(thread);
    if (idleAt !== -1) this.idle.splice(idleAt, 1);
    const wasRunning = this.running.delete(thread);
    const job = thread.job;
    thread.job = undefined;
    job?.reject(error);
    if (wasRunning && !this.closed) this.dispatch();
  }

  private scheduleIdleExit(): void {
    if (this.running.size > 0 || this.idle.length === 0 || this.closed) return;
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      for (const thread of this.idle.splice(0)) void thread.worker.terminate();
    }, this.idleMs);
    this.idleTimer.unref();
  }
}

let shared: RenderPool | undefined;

/** The process's one pool: every service in a process shares its threads, so cores bound them. */
export function sharedRenderPool(): RenderPool {
  shared ??= new RenderPool();
  return shared;
}
