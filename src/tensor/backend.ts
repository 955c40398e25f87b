/**
 * Backend choice for TensorFlow.js: the native binding (@tensorflow/tfjs-node) if it is installed
 * and loads, else the WebAssembly backend (@tensorflow/tfjs-backend-wasm, SIMD, one thread), else
 * the pure-JS cpu backend. `MIXWELL_BACKEND` (tensorflow | wasm | cpu) or the `backend` option
 * forces one; a forced backend that cannot load is an error, never a silent fallback.
 *
 * Cost model (shared/notes/tfjs-performance.md): on wasm each kernel costs about 2.5 us whatever its
 * size, so batch chains and keep kernels per gradient low.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

const KNOWN: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendInfo {
  readonly name: BackendName;
  /** Why the backends before it in the order of choice were not used. */
  readonly skipped: readonly string[];
}

let current: BackendInfo | undefined;

async function tryNative(): Promise<string | undefined> {
  try {
    // The native binding registers the 'tensorflow' backend on the shared tfjs engine.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
    return undefined;
  } catch (error) {
    const message = (error as Error).message.split('\n')[0];
    if (/Cannot find (package|module) '@tensorflow\/tfjs-node'/.test(message)) return 'tensorflow: @tensorflow/tfjs-node is not installed';
    return `tensorflow: @tensorflow/tfjs-node did not load (${message})`;
  }
}

async function activate(name: BackendName): Promise<boolean> {
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/** Parse a backend name from user input; throws on an unknown name. */
export function parseBackendName(value: string, source: string): BackendName {
  if ((KNOWN as readonly string[]).includes(value)) return value as BackendName;
  throw new Error(`${source}: unknown backend "${value}"; expected one of ${KNOWN.join(', ')}`);
}

/**
 * Initialise the tfjs backend once per process (or worker thread). Later calls return the backend
 * already chosen, unless a different one is forced.
 */
export async function initBackend(requested?: BackendName): Promise<BackendInfo> {
  const forced =
    requested ??
    (process.env.MIXWELL_BACKEND ? parseBackendName(process.env.MIXWELL_BACKEND, 'MIXWELL_BACKEND') : undefined);
  if (current && (forced === undefined || forced === current.name)) return current;

  const skipped: string[] = [];
  if (forced) {
    if (forced === 'tensorflow') {
      const failure = await tryNative();
      if (failure) throw new Error(`backend "tensorflow" was requested but ${failure}`);
    }
    if (!(await activate(forced))) throw new Error(`backend "${forced}" was requested but could not be initialised`);
    current = { name: forced, skipped };
  } else {
    const failure = await tryNative();
    if (!failure && (await activate('tensorflow'))) {
      current = { name: 'tensorflow', skipped };
    } else {
      skipped.push(failure ?? 'tensorflow: backend failed to initialise');
      if (await activate('wasm')) current = { name: 'wasm', skipped };
      else {
        skipped.push('wasm: backend failed to initialise');
        if (!(await activate('cpu'))) throw new Error('no tfjs backend could be initialised');
        current = { name: 'cpu', skipped };
      }
    }
  }
  return current;
}

/** The backend in use; throws if initBackend has not run. */
export function backendInfo(): BackendInfo {
  if (!current) throw new Error('tfjs backend not initialised: call initBackend() first');
  return current;
}

/** One line for logs: which backend runs and why the faster ones were not used. */
export function describeBackend(info: BackendInfo): string {
  const why = info.skipped.length ? ` (${info.skipped.join('; ')})` : '';
  return `mixwell: tfjs backend ${info.name}${why}`;
}
