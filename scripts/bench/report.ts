/**
 * Presentation of the gradient benchmark: the results table (console and markdown), the
 * comparison with Stan's per-gradient cost (../shared/bench/stan/results/gradbench.json, rstan
 * grad_log_prob, one core), the kernel profile, and the generated blocks of bench/README.md.
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BackendRun, CaseResult, Comparison, GradientBenchRecord, ProfileResult, StanGradient } from './types.js';

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], markdown: boolean, rightAlign: readonly boolean[] = []): string {
  if (markdown) {
    const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
    const rule = headers.map((_, i) => (rightAlign[i] ? '---:' : '---'));
    return [line(headers), line(rule), ...rows.map(line)].join('\n');
  }
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const pad = (cells: readonly string[]) => cells.map((c, i) => (rightAlign[i] ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ');
  return [pad(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(pad)].join('\n');
}

const int = (x: number) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const ratio = (x: number) => `${x < 10 ? x.toFixed(2) : x.toFixed(1)}x`;
export const sizeOf = (r: { G: number; T: number; C: number }) => `${r.G} x ${r.T} x ${r.C}`;

export function liveTensorsGrew(r: CaseResult): boolean {
  return r.liveTensors.after !== r.liveTensors.before || (Number.isFinite(r.liveTensors.afterDispose) && r.liveTensors.afterDispose !== r.liveTensors.beforeModel);
}

const RESULT_HEADERS = ['model', 'G x T x C', 'dim', 'backend', 'chains', 'us/call', 'us/chain-gradient', 'CPU us/chain-gradient', 'kernels/gradient', 'live tensors'];
const RESULT_ALIGN = [false, false, true, false, true, true, true, true, true, true];

export function resultRows(backends: readonly BackendRun[]): string[][] {
  const rows: { r: CaseResult; backend: string }[] = [];
  for (const b of backends) for (const r of b.results) rows.push({ r, backend: b.backend });
  const modelOrder = [...new Set(rows.map((x) => x.r.model))];
  rows.sort((a, b) => modelOrder.indexOf(a.r.model) - modelOrder.indexOf(b.r.model));
  return rows.map(({ r, backend }) => [
    r.model,
    sizeOf(r),
    String(r.dim),
    backend,
    String(r.chains),
    int(r.usPerCall.median),
    int(r.usPerChainGradient),
    int(r.cpuUsPerChainGradient),
    String(r.kernelsPerGradient),
    `${r.liveTensors.before} -> ${r.liveTensors.after}${liveTensorsGrew(r) ? ' LEAK' : ''}`,
  ]);
}

export function resultsTable(backends: readonly BackendRun[], markdown: boolean): string {
  return formatTable(RESULT_HEADERS, resultRows(backends), markdown, RESULT_ALIGN);
}

/** Stan's per-gradient cost by size, or undefined when ../shared is absent. */
export function readStanGradients(path: string): StanGradient[] | undefined {
  if (!existsSync(path)) return undefined;
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const out: StanGradient[] = [];
  for (const [size, value] of Object.entries(raw)) {
    if (typeof value !== 'object' || value === null) continue;
    const v = value as Record<string, number>;
    if (typeof v.us_per_grad_cpu !== 'number') continue;
    out.push({ size, G: v.G, T: v.T, C: v.C, K: v.K, dim: v.n_params, usPerGradientCpu: v.us_per_grad_cpu });
  }
  return out;
}

/** Comparisons for every benchmarked model whose data have the size (G, T, C, K) of a Stan entry. */
export function compareWithStan(backends: readonly BackendRun[], stan: readonly StanGradient[]): Comparison[] {
  const out: Comparison[] = [];
  const results = backends.flatMap((b) => b.results.map((r) => ({ ...r, backend: b.backend })));
  const models = [...new Set(results.map((r) => r.model))];
  for (const model of models) {
    const mine = results.filter((r) => r.model === model);
    const first = mine[0];
    const match = stan.find((s) => s.G === first.G && s.T === first.T && s.C === first.C && s.K === first.K);
    if (!match) continue;
    out.push({
      model,
      stan: match,
      dim: first.dim,
      rows: mine.map((r) => ({
        backend: r.backend,
        chains: r.chains,
        usPerChainGradient: r.usPerChainGradient,
        cpuUsPerChainGradient: r.cpuUsPerChainGradient,
        ratioToStan: r.usPerChainGradient / match.usPerGradientCpu,
        cpuRatioToStan: r.cpuUsPerChainGradient / match.usPerGradientCpu,
      })),
    });
  }
  return out;
}

export function comparisonLines(comparisons: readonly Comparison[]): string[] {
  return comparisons.map((c) => {
    const dims = c.stan.dim === c.dim ? `D=${c.dim}` : `Stan D=${c.stan.dim}, mixwell D=${c.dim}`;
    const byBackend = new Map<string, string[]>();
    for (const r of c.rows) {
      const list = byBackend.get(r.backend) ?? [];
      list.push(`${r.chains} ch ${int(r.usPerChainGradient)} / ${int(r.cpuUsPerChainGradient)} (${ratio(r.ratioToStan)} / ${ratio(r.cpuRatioToStan)})`);
      byBackend.set(r.backend, list);
    }
    const parts = [...byBackend.entries()].map(([b, list]) => `${b}: ${list.join(', ')}`);
    return `vs Stan, ${c.model} (${sizeOf(c.stan)}, ${dims}): Stan 2.21 ${int(c.stan.usPerGradientCpu)} us/gradient (CPU, 1 core); mixwell wall / CPU us per chain-gradient (x Stan's time): ${parts.join('; ')}`;
  });
}

const shape = (s: readonly number[] | null) => (s ? `[${s.join(',')}]` : '-');

/** Shapes with runs of equal ones collapsed: "[16,1] x19 [16,20]". */
function shapeList(shapes: readonly (readonly number[] | null)[]): string {
  const parts: string[] = [];
  for (let i = 0; i < shapes.length; ) {
    let j = i + 1;
    while (j < shapes.length && shape(shapes[j]) === shape(shapes[i])) j++;
    parts.push(j - i > 1 ? `${shape(shapes[i])} x${j - i}` : shape(shapes[i]));
    i = j;
  }
  return parts.join(' ');
}

export function profileTables(p: ProfileResult, markdown: boolean, topNames = 15, topInstances = 15): string {
  const overheadUs = p.wallUs - p.kernelUs;
  const summary = [
    `${p.model}, ${p.chains} chains, ${p.backend}, D=${p.dim}: ${p.kernels} kernels per gradient (tape-free forward pass: ${p.forwardPassKernels}); median of ${p.runs} profiled calls.`,
    `Wall time per call ${int(p.wallUs)} us unprofiled (${int(p.profiledWallUs)} us profiled); summed kernel time ${int(p.kernelUs)} us ` +
      `(${((100 * p.kernelUs) / p.wallUs).toFixed(0)}% of the call); the rest, ${int(overheadUs)} us = ${(overheadUs / p.kernels).toFixed(1)} us per kernel, is engine overhead (op wrappers, tape, tidy, tensor bookkeeping), upload and read-back.`,
    `By phase: forward ${p.phases.forward.kernels} kernels ${int(p.phases.forward.us)} us; tape copies (Identity) ${p.phases.tape.kernels} kernels ${int(p.phases.tape.us)} us; backward ${p.phases.backward.kernels} kernels ${int(p.phases.backward.us)} us.`,
    `By size: ${p.parameterSized.kernels} kernels touch only tensors of at most chains x dim = ${p.chains * p.dim} elements (${int(p.parameterSized.us)} us of kernel time); ` +
      `${p.dataSized.kernels} kernels touch data-sized tensors (${int(p.dataSized.us)} us).`,
  ];
  const names = formatTable(
    ['kernel', 'count', 'fwd', 'tape', 'bwd', 'us', 'share'],
    p.byName.slice(0, topNames).map((k) => [k.name, String(k.count), String(k.forward), String(k.tape), String(k.backward), int(k.us), `${(100 * k.share).toFixed(1)}%`]),
    markdown,
    [false, true, true, true, true, true, true],
  );
  const instances = formatTable(
    ['#', 'phase', 'kernel', 'inputs', 'output', 'us'],
    p.topInstances.slice(0, topInstances).map((k) => [String(k.index), k.phase, k.name, shapeList(k.inputShapes), shapeList(k.outputShapes), int(k.us)]),
    markdown,
    [true, false, false, false, false, true],
  );
  const sep = markdown ? '\n\n' : '\n';
  return [summary.join(markdown ? '\n\n' : '\n'), `Top kernels by time (of ${p.byName.length} kinds):`, names, 'Slowest kernel instances:', instances].join(sep);
}

export function machineLine(record: GradientBenchRecord): string {
  const m = record.machine;
  return `${m.cpu}, ${m.cores} cores, Node ${m.node}, tfjs ${m.tfjs}, load average ${m.loadAverageStart.map((x) => x.toFixed(2)).join(' ')} at start, ${m.loadAverageEnd.map((x) => x.toFixed(2)).join(' ')} at end`;
}

/** One row per recorded bench/gradient-*.json: the headline figures (wasm, wall / CPU us per chain-gradient). */
function runsTable(dir: string): string {
  const files = readdirSync(dir).filter((f) => /^gradient-.*\.json$/.test(f)).sort();
  const rows = files.map((f) => {
    const record = JSON.parse(readFileSync(join(dir, f), 'utf8')) as GradientBenchRecord;
    const pick = (model: string, chains: number) => {
      const r = record.backends.find((b) => b.backend === 'wasm')?.results.find((x) => x.model === model && x.chains === chains);
      return r ? `${int(r.usPerChainGradient)} / ${int(r.cpuUsPerChainGradient)}` : '-';
    };
    const backends = record.backends.map((b) => (b.status === 'ok' ? b.backend : `~~${b.backend}~~`)).join(' ');
    const load = `${record.machine.loadAverageStart[0].toFixed(1)}-${record.machine.loadAverageEnd[0].toFixed(1)}`;
    const commit = record.git ? `${record.git.commit.slice(0, 8)}${record.git.dirty ? '+' : ''}` : '-';
    return [`[${f}](${f})`, record.quick ? 'quick' : 'full', backends, pick('national', 16), pick('geo-20', 1), pick('geo-20', 16), pick('geo-100', 16), load, commit];
  });
  return formatTable(
    ['file', 'mode', 'backends', 'national 16 ch', 'geo-20 1 ch', 'geo-20 16 ch', 'geo-100 16 ch', 'load', 'commit'],
    rows,
    true,
    [false, false, false, true, true, true, true, false, false],
  );
}

function replaceBlock(text: string, name: string, content: string): string {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const block = `${start}\n${content}\n${end}`;
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i >= 0 && j > i) return text.slice(0, i) + block + text.slice(j + end.length);
  return `${text.trimEnd()}\n\n${block}\n`;
}

/** Rewrite the generated blocks of bench/README.md (latest results, latest profile, list of runs). */
export function updateReadme(dir: string, fileName: string, record: GradientBenchRecord): void {
  const path = join(dir, 'README.md');
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  const latest = [
    `From [${fileName}](${fileName}) (${record.date}${record.quick ? ', quick' : ''}): ${machineLine(record)}.`,
    '',
    ...record.backends.filter((b) => b.status !== 'ok').map((b) => `- ${b.backend}: ${b.status} (${b.reason?.split('\n')[0]})`),
    ...record.skippedModels.map((s) => `- ${s.model}: skipped (${s.reason})`),
    '',
    resultsTable(record.backends, true),
    '',
    ...comparisonLines(record.comparisons).map((l) => `- ${l}`),
  ].join('\n');
  text = replaceBlock(text, 'latest', latest);
  const profile = record.backends.find((b) => b.profile)?.profile;
  if (profile) text = replaceBlock(text, 'profile', `From [${fileName}](${fileName}).\n\n${profileTables(profile, true)}`);
  text = replaceBlock(text, 'runs', runsTable(dir));
  writeFileSync(path, text);
}
