/**
 * Single-op timings at the shapes of the geo-20 gradient with 16 chains (C = 5 channels, L = 8 lags,
 * N = G T = 2080 cells), to weigh reformulations of its most expensive kernels (bench/README.md,
 * "where the time goes"): the adstock matMul batched over channels against per-channel 2-D
 * matMuls, transcendental functions against cheap elementwise ops, and reductions over the
 * leading against the trailing axis. Median of 200 calls after 30 warm-up calls, each with
 * dataSync(); not part of `npm run bench`.
 *
 *   tsx scripts/bench/ops.ts [--backend wasm|cpu]
 */
import { performance } from 'node:perf_hooks';
import { initBackend, parseBackendName, tf, type Tensor } from '../../src/tensor/index.js';
import { Flags } from './options.js';
import { formatTable } from './report.js';
import { median } from './timing.js';

const flags = new Flags(process.argv.slice(2));
const backend = parseBackendName(flags.string('backend') ?? 'wasm', '--backend');
await initBackend(backend);

const C = 5;
const B = 16;
const L = 8;
const G = 20;
const T = 104;
const N = G * T;
const weights = tf.randomUniform([C, B, L]);
const lagged = tf.randomUniform([C, L, N]);
const laggedCellMajor = tf.randomUniform([C, N, L]);
const weightsLagMajor = tf.randomUniform([C, L, B]);
const cells = tf.randomUniform([C, B, N], 0.1, 2);
const weightRows = Array.from({ length: C }, () => tf.randomUniform([B, L]));
const laggedRows = Array.from({ length: C }, () => tf.randomUniform([L, N]));

function time(f: () => Tensor): number {
  for (let i = 0; i < 30; i++) tf.tidy(f).dispose();
  const samples: number[] = [];
  for (let i = 0; i < 200; i++) {
    const t0 = performance.now();
    const out = tf.tidy(f);
    out.dataSync();
    out.dispose();
    samples.push((performance.now() - t0) * 1e3);
  }
  return median(samples);
}

const cases: [string, () => Tensor][] = [
  ['adstock: batched matMul [C,B,L] x [C,L,N]', () => tf.matMul(weights, lagged)],
  ['adstock: batched matMul [C,N,L] x [C,L,B]', () => tf.matMul(laggedCellMajor, weightsLagMajor)],
  ['adstock: C 2-D matMuls [B,L] x [L,N], stacked', () => tf.stack(weightRows.map((w, c) => tf.matMul(w, laggedRows[c])))],
  ['adstock: broadcast multiply + sum over L', () => tf.sum(tf.mul(tf.expandDims(weights, 3), tf.expandDims(lagged, 1)), 2)],
  ['adstock gradient: [C,B,N] x [C,L,N]^T', () => tf.matMul(cells, lagged, false, true)],
  ['log [C,B,N]', () => tf.log(cells)],
  ['exp [C,B,N]', () => tf.exp(cells)],
  ['sigmoid [C,B,N]', () => tf.sigmoid(cells)],
  ['multiply [C,B,N] x [C,B,N]', () => tf.mul(cells, cells)],
  ['clone (what the tape does to saved tensors) [C,B,N]', () => tf.clone(cells)],
  ['sum over channels, leading axis [C,B,G,T] -> [B,G,T]', () => tf.sum(tf.reshape(cells, [C, B, G, T]), 0)],
  ['sum over channels, trailing axis [B,G,T,C] -> [B,G,T]', () => tf.sum(tf.reshape(cells, [B, G, T, C]), 3)],
];

const rows = cases.map(([label, f]) => [label, Math.round(time(f)).toLocaleString('en-US')]);
console.log(`${backend}, C=${C} B=${B} L=${L} N=${N} (${(C * B * N).toLocaleString('en-US')} elements per [C,B,N] tensor)`);
console.log(formatTable(['op', 'us (median)'], rows, flags.has('markdown'), [false, true]));
