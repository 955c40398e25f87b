/**
 * Checkpoints of an MMM fit (`fitMmm`'s `checkpoint` option, `mixwell fit --resume`): what a fit is
 * in the middle of (the centering pilot, the main run, or done sampling), the sampler's snapshots
 * (samplers/checkpoint.ts), and the fingerprint that ties a checkpoint to its fit: hashes of the
 * data, the run config, the sampler settings, the backend and Mixwell's version. A checkpoint whose
 * fingerprint differs is refused with the parts that differ named; nothing is continued on other data
 * or settings. The worker count is not part of it: on the host path a chain's draws do not depend on
 * it, so a fit may be continued with more or fewer workers.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { packageVersion } from '../config/index.js';
import { CheckpointFileError, readCheckpointFile, writeCheckpointFile } from '../inference/checkpointFile.js';
import type { RunSnapshot, SampleResult } from '../../samplers/index.js';

/** How a fit takes checkpoints. */
export interface FitCheckpointOptions {
  /** The checkpoint file (rewritten atomically at each snapshot). */
  readonly file: string;
  /** A snapshot at most this often, seconds (default 60). */
  readonly seconds?: number;
  /**
   * Continue from `file`: true requires it (a checkpoint of another fit is an error); 'if-present'
   * (batch retries) continues from it when there is one for this fit, and otherwise starts afresh,
   * replacing a damaged one or one of another fit. Default false: start afresh, replacing it.
   */
  readonly resume?: boolean | 'if-present';
  /** Polled while sampling: true takes a last snapshot and stops the fit with SamplingInterrupted (Ctrl-C). */
  readonly shouldStop?: () => boolean;
}

/** What a fit is in the middle of. */
export type FitCheckpointState =
  | { readonly phase: 'pilot'; readonly run: RunSnapshot }
  | { readonly phase: 'main'; readonly pilot?: SampleResult; readonly run?: RunSnapshot }
  /** Sampling finished; what comes after it (summaries, the run directory) is recomputed from `samples`. */
  | { readonly phase: 'done'; readonly pilot?: SampleResult; readonly samples: SampleResult };

/** The parts of a fit a checkpoint must agree with, each as a sha256. */
export type FitFingerprint = Readonly<Record<'data' | 'config' | 'sampler' | 'backend' | 'mixwell', string>>;

/** The fingerprint of a fit's inputs. */
export function fitFingerprint(inputs: { data: unknown; config: unknown; sampler: unknown; backend: string }): FitFingerprint {
  return {
    data: stableHash(inputs.data),
    config: stableHash(inputs.config),
    sampler: stableHash(inputs.sampler),
    backend: stableHash(inputs.backend),
    mixwell: stableHash(packageVersion()),
  };
}

/** Reads and writes one fit's checkpoint file. */
export class FitCheckpoint {
  constructor(
    readonly options: FitCheckpointOptions,
    private readonly fingerprint: FitFingerprint,
  ) {}

  /** Why an existing checkpoint was not used ('if-present'), if one was set aside. */
  setAside: string | undefined;
  /** How far the checkpoint the fit continues from had got (its header's `progress`). */
  resumedFrom: string | undefined;

  /** The state to continue from, or undefined to start afresh (module comment; throws on a mismatch unless 'if-present'). */
  load(): FitCheckpointState | undefined {
    const { file, resume } = this.options;
    if (!resume) return undefined;
    if (resume === 'if-present' && !existsSync(file)) return undefined;
    try {
      return this.read();
    } catch (error) {
      if (resume !== 'if-present' || !(error instanceof CheckpointMismatchError || error instanceof CheckpointFileError)) throw error;
      this.setAside = error.message;
      return undefined;
    }
  }

  private read(): FitCheckpointState {
    const { file } = this.options;
    const { header, state } = readCheckpointFile<FitCheckpointState>(file);
    const saved = (header.fingerprint ?? {}) as Partial<FitFingerprint>;
    const differ = (Object.keys(this.fingerprint) as (keyof FitFingerprint)[]).filter((key) => saved[key] !== this.fingerprint[key]);
    if (differ.length > 0) {
      const what: Record<keyof FitFingerprint, string> = {
        data: 'the data',
        config: 'the run config',
        sampler: 'the sampler settings (chains, warmup, draws, seed, ...)',
        backend: 'the backend',
        mixwell: `Mixwell's version (it was written by ${String(header.mixwell)}, this is ${packageVersion()})`,
      };
      throw new CheckpointMismatchError(file, differ.map((key) => what[key]));
    }
    this.resumedFrom = typeof header.progress === 'string' ? header.progress : 'a checkpoint';
    return state;
  }

  save(state: FitCheckpointState): void {
    const progress =
      state.phase === 'done'
        ? 'sampling done'
        : state.run
          ? `${state.phase}: stage ${state.run.stage}, ${state.run.current.chains.map((c) => `chain ${c.chain} ${c.phase} ${c.iteration}`).join(', ')}`
          : `${state.phase}: starting`;
    writeCheckpointFile(this.options.file, { mixwell: packageVersion(), savedAt: new Date().toISOString(), progress, fingerprint: this.fingerprint }, state);
  }
}

/** A checkpoint written for another fit. */
export class CheckpointMismatchError extends Error {
  constructor(
    readonly file: string,
    readonly differences: readonly string[],
  ) {
    super(
      `${file}: this checkpoint was written for another fit (${differences.join('; ')} differ). ` +
        'Continue it with the same data, config and settings, or start afresh without resuming.',
    );
    this.name = 'CheckpointMismatchError';
  }
}

/**
 * sha256 of a value's canonical form: object keys sorted, typed arrays by their bytes, dates as ISO
 * strings, numbers exactly (-0, NaN and infinities distinct); functions and undefined left out, as JSON does.
 */
export function stableHash(value: unknown): string {
  const hash = createHash('sha256');
  const visit = (v: unknown): void => {
    if (v === null || v === undefined) hash.update(v === null ? 'n;' : 'u;');
    else if (typeof v === 'number') hash.update(`d${Object.is(v, -0) ? '-0' : String(v)};`);
    else if (typeof v === 'string') hash.update(`s${v.length}:${v};`);
    else if (typeof v === 'boolean' || typeof v === 'bigint') hash.update(`${typeof v}${String(v)};`);
    else if (typeof v === 'function' || typeof v === 'symbol') return;
    else if (ArrayBuffer.isView(v)) {
      hash.update(`t${v.constructor.name}${v.byteLength}:`);
      hash.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else if (v instanceof Date) hash.update(`D${v.toISOString()};`);
    else if (v instanceof Map) {
      hash.update('M[');
      for (const [k, x] of [...v.entries()].sort(([a], [b]) => (String(a) < String(b) ? -1 : 1))) {
        visit(k);
        visit(x);
      }
      hash.update(']');
    } else if (Array.isArray(v)) {
      hash.update(`a${v.length}[`);
      v.forEach(visit);
      hash.update(']');
    } else {
      hash.update('o{');
      for (const key of Object.keys(v as object).sort()) {
        const x = (v as Record<string, unknown>)[key];
        if (x === undefined || typeof x === 'function') continue;
        hash.update(`s${key.length}:${key}=`);
        visit(x);
      }
      hash.update('}');
    }
  };
  visit(value);
  return hash.digest('hex');
}
