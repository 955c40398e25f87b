// Worker-thread bootstrap: plain JavaScript, so that Node can start it without a TypeScript loader.
// When the real entry is a .ts file (running from source through tsx, a dev dependency), register tsx's loader in
// this thread first (loaders registered in the main thread do not reach workers), then import it.
import { workerData } from 'node:worker_threads';

const entry = workerData.entry;
if (entry.endsWith('.ts')) {
  const { register } = await import('tsx/esm/api');
  register();
}
await import(entry);
