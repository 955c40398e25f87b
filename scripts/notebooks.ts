/**
 * Run the notebooks (notebooks/NN-*.ts) one after another, each in its own Node process through
 * tsx, and check what each must leave in notebooks/out/<name>/: narrative.txt and charts/ with an
 * SVG beside every Vega-Lite spec. Prints each notebook's wall time and a summary; exits 1 when any
 * notebook fails or leaves its outputs incomplete.
 *
 *   npx tsx scripts/notebooks.ts            # all
 *   npx tsx scripts/notebooks.ts 03         # the notebooks whose file name contains "03"
 *
 * The sampler budget comes from MIXWELL_NOTEBOOK_DRAWS etc. (notebooks/settings.ts), passed on.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const NOTEBOOKS = join(ROOT, 'notebooks');
const OUT = process.env.MIXWELL_NOTEBOOK_OUT || join(NOTEBOOKS, 'out');
/** Longest stderr line echoed (a failing wasm backend prints its whole source on one line). */
const MAX_LINE = 400;

interface Outcome {
  readonly name: string;
  readonly seconds: number;
  readonly problems: string[];
  readonly charts: number;
}

function run(file: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', file], { cwd: ROOT, stdio: ['ignore', 'inherit', 'pipe'], env: process.env });
    let pending = '';
    const echo = (text: string) => {
      for (const line of text.split('\n')) process.stderr.write((line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)} ... [${line.length - MAX_LINE} more characters]` : line) + '\n');
    };
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      if (lines.length > 0) echo(lines.join('\n'));
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (pending) echo(pending);
      resolve({ code, signal });
    });
  });
}

/** What is missing from a notebook's output folder. */
function checkOutputs(dir: string): { problems: string[]; charts: number } {
  const problems: string[] = [];
  if (!existsSync(join(dir, 'narrative.txt'))) problems.push(`${dir}/narrative.txt is missing`);
  const chartDir = join(dir, 'charts');
  if (!existsSync(chartDir)) return { problems: [...problems, `${chartDir} is missing`], charts: 0 };
  const files = readdirSync(chartDir);
  const specs = files.filter((f) => f.endsWith('.vl.json'));
  if (specs.length === 0) problems.push(`${chartDir} holds no .vl.json chart`);
  for (const spec of specs) {
    const svg = spec.replace(/\.vl\.json$/, '.svg');
    if (!files.includes(svg)) problems.push(`${chartDir}/${svg} is missing`);
  }
  return { problems, charts: specs.length };
}

const filters = process.argv.slice(2);
const notebooks = readdirSync(NOTEBOOKS)
  .filter((f) => /^\d\d-.+\.ts$/.test(f))
  .filter((f) => filters.length === 0 || filters.some((pattern) => f.includes(pattern)))
  .sort();
if (notebooks.length === 0) {
  console.error(`no notebook matches ${filters.join(', ')} in ${NOTEBOOKS}`);
  process.exit(1);
}

const outcomes: Outcome[] = [];
const started = Date.now();
for (const file of notebooks) {
  const name = file.replace(/\.ts$/, '');
  console.log(`\n=== notebook ${name} ===\n`);
  const t0 = Date.now();
  const { code, signal } = await run(join(NOTEBOOKS, file));
  const seconds = (Date.now() - t0) / 1000;
  const problems = code === 0 ? [] : [`exited with ${signal ? `signal ${signal}` : `code ${code}`}`];
  const outputs = code === 0 ? checkOutputs(join(OUT, name)) : { problems: [], charts: 0 };
  outcomes.push({ name, seconds, problems: [...problems, ...outputs.problems], charts: outputs.charts });
  console.log(`\n=== ${name}: ${problems.length + outputs.problems.length === 0 ? 'ok' : 'FAILED'} in ${seconds.toFixed(1)} s ===`);
}

const total = (Date.now() - started) / 1000;
console.log('\nNotebooks:');
for (const o of outcomes) console.log(`  ${o.problems.length === 0 ? 'ok    ' : 'FAILED'} ${o.name.padEnd(20)} ${o.seconds.toFixed(1).padStart(7)} s  ${o.charts} charts${o.problems.length ? `  ${o.problems.join('; ')}` : ''}`);
console.log(`  total ${total.toFixed(1)} s; outputs in ${OUT}`);
const failed = outcomes.filter((o) => o.problems.length > 0);
if (failed.length > 0) {
  console.error(`\nFAILED: ${failed.map((o) => o.name).join(', ')}`);
  process.exit(1);
}
