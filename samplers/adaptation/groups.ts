/**
 * Adapter groups: which chains adapt together, and the coordinator that answers a chain's
 * adaptation requests (chain.ts) once every chain of its group has asked. A per-chain strategy makes
 * one group per chain, so its requests are answered at once and its chains drift apart in iteration
 * count; a cross-chain strategy makes one group of all chains, whose chains therefore advance
 * iteration by iteration together (in sampling too, which keeps the batches of the earlier pooled
 * driver). The lockstep driver (lockstep.ts) keeps a waiting chain out of the batches.
 */
import type { Coordinator } from '../lockstep.js';
import type { KernelParameters } from '../kernel.js';
import type { ChainState } from '../state.js';
import type { AdapterCall } from '../checkpoint.js';
import type { AdaptationDraw, AdapterInstruction, WarmupAdapter } from './adapter.js';

/** What a chain asks its adapter (see adapter.ts), or a synchronization point in sampling. */
export type AdaptationRequest =
  | { readonly kind: 'init'; readonly state: ChainState }
  | { readonly kind: 'update'; readonly iteration: number; readonly draw: AdaptationDraw }
  | { readonly kind: 'searched'; readonly stepSize: number }
  | { readonly kind: 'final' }
  | { readonly kind: 'sampled' };

/** The reply to each kind of request. */
export interface AdaptationReplies {
  readonly init: AdapterInstruction;
  readonly update: AdapterInstruction;
  readonly searched: KernelParameters;
  readonly final: KernelParameters;
  readonly sampled: null;
}

export type AdaptationReply = AdaptationReplies[keyof AdaptationReplies];

export interface AdapterGroup {
  /** Indices of the group's chains among the programs the driver runs, ascending. */
  readonly members: readonly number[];
  readonly adapter: WarmupAdapter;
}

/**
 * Answers requests group by group. With `logs` (one per group; for checkpoints, ../checkpoint.ts)
 * every answered adapter call is appended to its group's log, which may start with calls already
 * replayed into the adapter.
 */
export class AdaptationCoordinator implements Coordinator<AdaptationRequest, AdaptationReply> {
  private readonly groupOf: number[];
  private readonly slotOf: number[];
  private readonly waiting: (AdaptationRequest | undefined)[][];
  private readonly arrived: number[];

  constructor(
    private readonly groups: readonly AdapterGroup[],
    programs: number,
    readonly logs?: AdapterCall[][],
  ) {
    if (logs && logs.length !== groups.length) throw new Error(`adaptation coordinator: ${logs.length} call logs for ${groups.length} groups`);
    this.groupOf = new Array<number>(programs).fill(-1);
    this.slotOf = new Array<number>(programs).fill(-1);
    groups.forEach((group, g) => {
      if (group.members.length !== group.adapter.chains) {
        throw new Error(`adapter group ${g}: ${group.members.length} chains, but its adapter serves ${group.adapter.chains}`);
      }
      group.members.forEach((member, slot) => {
        if (this.groupOf[member] !== -1) throw new Error(`chain ${member} is in two adapter groups`);
        this.groupOf[member] = g;
        this.slotOf[member] = slot;
      });
    });
    const missing = this.groupOf.findIndex((g) => g === -1);
    if (missing !== -1) throw new Error(`chain ${missing} is in no adapter group`);
    this.waiting = groups.map((group) => new Array<AdaptationRequest | undefined>(group.members.length));
    this.arrived = groups.map(() => 0);
  }

  /** The group of the program at `index`. */
  groupIndex(index: number): number {
    return this.groupOf[index];
  }

  /** Adapter calls answered so far for the group of the program at `index` (0 without logs). */
  answeredCalls(index: number): number {
    return this.logs?.[this.groupOf[index]].length ?? 0;
  }

  submit(index: number, request: AdaptationRequest): readonly (readonly [number, AdaptationReply])[] {
    const g = this.groupOf[index];
    const group = this.groups[g];
    if (group.members.length === 1) {
      this.log(g, [request]);
      return [[index, answer(group.adapter, [request])[0]]];
    }
    const waiting = this.waiting[g];
    waiting[this.slotOf[index]] = request;
    this.arrived[g] += 1;
    if (this.arrived[g] < group.members.length) return [];
    const requests = waiting.slice() as AdaptationRequest[];
    waiting.fill(undefined);
    this.arrived[g] = 0;
    this.log(g, requests);
    const replies = answer(group.adapter, requests);
    return group.members.map((member, slot) => [member, replies[slot]] as const);
  }

  private log(g: number, requests: readonly AdaptationRequest[]): void {
    const call = this.logs ? adapterCall(requests) : undefined;
    if (call) this.logs![g].push(call);
  }
}

/** The adapter call a group's requests make (none for the sampling phase's synchronization). */
function adapterCall(requests: readonly AdaptationRequest[]): AdapterCall | undefined {
  const first = requests[0];
  switch (first.kind) {
    case 'init':
      return { kind: 'init', states: ofKind(requests, 'init').map((r) => r.state) };
    case 'update':
      return { kind: 'update', iteration: first.iteration, draws: ofKind(requests, 'update').map((r) => r.draw) };
    case 'searched':
      return { kind: 'searched', stepSizes: ofKind(requests, 'searched').map((r) => r.stepSize) };
    case 'final':
      return { kind: 'final' };
    case 'sampled':
      return undefined;
  }
}

function answer(adapter: WarmupAdapter, requests: readonly AdaptationRequest[]): readonly AdaptationReply[] {
  const kind = requests[0].kind;
  if (requests.some((request) => request.kind !== kind)) {
    throw new Error(`the chains of an adapter group are out of step: ${requests.map((r) => r.kind).join(', ')}`);
  }
  switch (kind) {
    case 'init':
      return check(adapter.init(ofKind(requests, 'init').map((r) => r.state)), requests.length);
    case 'update': {
      const updates = ofKind(requests, 'update');
      const iteration = updates[0].iteration;
      if (updates.some((r) => r.iteration !== iteration)) throw new Error('the chains of an adapter group are at different warmup iterations');
      return check(adapter.update(iteration, updates.map((r) => r.draw)), requests.length);
    }
    case 'searched':
      return check(adapter.searched(ofKind(requests, 'searched').map((r) => r.stepSize)), requests.length);
    case 'final':
      return check(adapter.final(), requests.length);
    case 'sampled':
      return requests.map(() => null);
  }
}

/** The requests, all of kind `kind` (checked by the caller). */
function ofKind<K extends AdaptationRequest['kind']>(requests: readonly AdaptationRequest[], kind: K): readonly Extract<AdaptationRequest, { kind: K }>[] {
  void kind;
  return requests as readonly Extract<AdaptationRequest, { kind: K }>[];
}

function check<T>(replies: readonly T[], expected: number): readonly T[] {
  if (replies.length !== expected) throw new Error(`an adapter answered ${replies.length} chains, expected ${expected}`);
  return replies;
}
