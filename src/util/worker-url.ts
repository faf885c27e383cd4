import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * The URL of a worker entry in `workers/`, from a module anywhere under src/. Built code runs
 * from dist/ (.js); under tsx the sources run as they are (.ts).
 */
export function workerUrl(fromModuleUrl: string, depthToRoot: number, name: string): URL {
  const ext = fromModuleUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`${'../'.repeat(depthToRoot)}workers/${name}${ext}`, fromModuleUrl);
}

/**
 * Starts a worker thread on `url`. A TypeScript entry (tests and tools run under tsx) gets a
 * small bootstrap that registers tsx inside the worker first: Node 20 does not apply the
 * parent's --import loader to a worker's entry module.
 */
export function startWorker(url: URL, options: WorkerOptions = {}): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url, options);
  const code = `import('tsx/esm/api').then((api) => { api.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(code, { ...options, eval: true });
}
