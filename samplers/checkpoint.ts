/**
 * Checkpoints of a running sampler as plain data, and how a stage continues from one.
 *
 * A chain's program (chain.ts) reaches an iteration boundary right before each transition: it then
 * holds everything it needs to go on (its position with log density and gradient, its kernel
 * parameters, its RNG state, its draws so far). A checkpoint is taken between two lockstep rounds
 * from each chain's latest boundary, so chains stopped mid-trajectory are simply put back to where
 * their current transition began.
 *
 * The warmup adapters are not serialized: an adapter is a deterministic function of the calls it
 * receives (adaptation/adapter.ts: init, update, searched, final; the step-size searches run in the
 * chain with the chain's RNG), so its state is rebuilt by replaying its group's logged calls, and
 * the reply to the last of them is the chain's kernel parameters at its boundary. This works the same
 * for every strategy, per chain or pooled. Replaying is host arithmetic only, no model evaluations.
 *
 * Continued from a checkpoint with the same target, seed and settings, each chain runs the same
 * transitions from the same state with the same RNG stream, so its draws are bit-identical to an
 * uninterrupted run (as long as the evaluation of a chain does not depend on the batch it is in:
 * the host path, and the worker split of the original run).
 */
import type { RngState } from '../src/tensor/rng.js';
import type { AdaptationDraw, AdapterInstruction, WarmupAdapter } from './adaptation/adapter.js';
import type { KernelParameters } from './kernel.js';
import type { DrawStats } from './recorder.js';
import type { ChainState } from './state.js';
import type { Phase, StageResult } from './types.js';

/** Format version of the snapshots; a checkpoint of another version is refused. */
export const SNAPSHOT_VERSION = 1;

/** One chain at an iteration boundary: what it needs to go on besides its kernel parameters. */
export interface ChainBoundary {
  readonly chain: number;
  readonly phase: Phase;
  /** The next iteration of `phase` to run, 0-based. */
  readonly iteration: number;
  readonly state: ChainState;
  readonly rng: RngState;
  readonly warmupDivergences: number;
  readonly samplingDivergences: number;
  /** Positions this chain has had evaluated so far in this stage. */
  readonly gradients: number;
  /** Calls of its adapter group answered before this boundary (the prefix of the group's log to replay). */
  readonly adapterCalls: number;
}

/** A chain's boundary with its draws so far. */
export interface ChainSnapshot extends ChainBoundary {
  /** Kept sampling draws so far, row-major [n, dim], and their statistics. */
  readonly draws: Float64Array;
  readonly stats: DrawStats;
  /** Warmup draws so far, when the stage saves them. */
  readonly warmupDraws?: Float64Array;
  readonly warmupStats?: DrawStats;
}

/** A call an adapter group received, with its inputs (the replies are recomputed on replay). */
export type AdapterCall =
  | { readonly kind: 'init'; readonly states: readonly ChainState[] }
  | { readonly kind: 'update'; readonly iteration: number; readonly draws: readonly AdaptationDraw[] }
  | { readonly kind: 'searched'; readonly stepSizes: readonly number[] }
  | { readonly kind: 'final' };

/** An adapter group's logged calls; `chains` are the ids of its chains, in order. */
export interface GroupLog {
  readonly chains: readonly number[];
  readonly calls: readonly AdapterCall[];
}

/** A stage of a plan part-way: the chains that reached a boundary, and their adapter groups' logs. */
export interface StageSnapshot {
  readonly chains: readonly ChainSnapshot[];
  readonly groups: readonly GroupLog[];
}

/** A whole run part-way: the stages done, and the stage under way. */
export interface RunSnapshot {
  readonly version: number;
  /** Index of the stage under way. */
  readonly stage: number;
  /** Results of stages 0 .. stage - 1. */
  readonly completed: readonly StageResult[];
  readonly current: StageSnapshot;
}

/** Thrown by a sampler asked to stop: the snapshot it took on the way out has been reported. */
export class SamplingInterrupted extends Error {
  constructor(message = 'sampling interrupted; a checkpoint was taken') {
    super(message);
    this.name = 'SamplingInterrupted';
  }
}

/** How a stage takes checkpoints (plain data, so it crosses into worker threads). */
export interface StageCheckpointing {
  /** A snapshot at most this often, seconds (0: after every round, for tests). */
  readonly seconds: number;
  /** Continue from this snapshot (chains without an entry start afresh). */
  readonly resume?: StageSnapshot;
}

/** Where a stage reports snapshots, and how it is asked to stop. */
export interface StageHooks {
  readonly onSnapshot?: (snapshot: StageSnapshot) => void;
  /** Polled between rounds; when it returns true the stage takes a snapshot, reports it and throws SamplingInterrupted. */
  readonly shouldStop?: () => boolean;
}

/** The part of a snapshot that concerns `chainIds`. */
export function stageSnapshotFor(snapshot: StageSnapshot, chainIds: readonly number[]): StageSnapshot {
  const wanted = new Set(chainIds);
  return {
    chains: snapshot.chains.filter((c) => wanted.has(c.chain)),
    groups: snapshot.groups.filter((g) => g.chains.every((c) => wanted.has(c))),
  };
}

/** Snapshots of disjoint sets of chains as one, in chain order. */
export function mergeStageSnapshots(parts: readonly StageSnapshot[]): StageSnapshot {
  return {
    chains: parts.flatMap((p) => p.chains).sort((a, b) => a.chain - b.chain),
    groups: parts.flatMap((p) => p.groups).sort((a, b) => a.chains[0] - b.chains[0]),
  };
}

/**
 * Bring a fresh adapter to where the logged one was after `calls`: replay them in order, and return
 * the last reply per chain as kernel parameters (the parameters the chain holds at its boundary).
 */
export function replayAdapter(adapter: WarmupAdapter, calls: readonly AdapterCall[]): readonly KernelParameters[] {
  let last: readonly KernelParameters[] | 'search' | undefined;
  for (const call of calls) {
    switch (call.kind) {
      case 'init':
        last = continued(adapter.init(call.states));
        break;
      case 'update':
        last = continued(adapter.update(call.iteration, call.draws));
        break;
      case 'searched':
        last = adapter.searched(call.stepSizes);
        break;
      case 'final':
        last = adapter.final();
        break;
    }
  }
  if (last === undefined) throw new Error('checkpoint: an adapter group with a boundary has no logged calls');
  if (last === 'search') throw new Error('checkpoint: the log ends in the middle of a step-size search');
  return last;
}

/** The parameters of `continue` instructions, or 'search' when the chains were told to search a step size first. */
function continued(instructions: readonly AdapterInstruction[]): readonly KernelParameters[] | 'search' {
  if (instructions.some((instruction) => instruction.kind === 'searchStepSize')) return 'search';
  return instructions.map((instruction) => instruction.parameters);
}

/** The first `count` rows of draws and statistics (copies). */
export function recordedPrefix(draws: Float64Array, stats: DrawStats, count: number, dim: number): { draws: Float64Array; stats: DrawStats } {
  const prefix = Object.fromEntries(Object.entries(stats).map(([key, values]: [string, DrawStats[keyof DrawStats]]) => [key, values.slice(0, count)]));
  return { draws: draws.slice(0, count * dim), stats: prefix as unknown as DrawStats };
}
