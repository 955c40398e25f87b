/**
 * Open a Mixwell report (or inspection) page in headless Chromium, wait until every chart is
 * drawn, collect console errors, uncaught exceptions and JavaScript dialogs (alert, confirm,
 * prompt: recorded and dismissed, so a page that opens one is caught, not stuck), count the charts
 * drawn (SVG or canvas inside the vega-embed containers) and save a full-page PNG. Callers may add a
 * script that runs before the page's own (`initScript`) and an expression evaluated once the charts
 * are drawn (`probe`, its JSON value returned). Talks to Chromium over the Chrome
 * DevTools Protocol on a pipe (`--remote-debugging-pipe`: JSON messages ending in a NUL byte, the
 * browser reads fd 3 and writes fd 4), so it needs no npm package and no network.
 *
 *   npx tsx scripts/report-screenshot.ts runs/geo/report.html [out.png] [--chromium /usr/bin/chromium] [--slices 1600]
 *
 * Prints a JSON summary; exits 1 when there are console errors, dialogs or undrawn charts, 2 when Chromium
 * is absent (with a clear message).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export interface ScreenshotOptions {
  readonly chromium?: string;
  /** Viewport width in CSS pixels (default 1280). */
  readonly width?: number;
  /** Give up after this long (default 90 s). */
  readonly timeoutMs?: number;
  /** Cap of the screenshot height in CSS pixels (default 30000). */
  readonly maxHeight?: number;
  /** Also save the page in slices this tall (`<png stem>-1.png`, ...), easier to look at. */
  readonly sliceHeight?: number;
  /** JavaScript run in the page before its own scripts (e.g. to record calls of window.alert). */
  readonly initScript?: string;
  /** A JavaScript expression evaluated once the charts are drawn; its value (JSON) is `probe`. */
  readonly probe?: string;
}

export interface ScreenshotResult {
  /** Console errors, uncaught exceptions and error log entries, in order. */
  readonly consoleErrors: string[];
  /** JavaScript dialogs the page opened ("alert: <message>"), each dismissed. */
  readonly dialogs: string[];
  /** The value of `probe`, when given. */
  readonly probe?: unknown;
  /** vega-embed containers on the page. */
  readonly chartContainers: number;
  /** Containers holding a drawn chart (an svg or canvas element). */
  readonly chartsDrawn: number;
  /** The page's own count (body data-charts-rendered) and failed chart ids. */
  readonly rendered: number;
  readonly failed: string[];
  /** Page height and the PNG written. */
  readonly pageHeight: number;
  readonly png: string;
  readonly slices: string[];
}

/** The Chromium executable to use, or undefined when there is none. */
export function findChromium(path = process.env.CHROMIUM ?? DEFAULT_CHROMIUM): string | undefined {
  return existsSync(path) ? path : undefined;
}

interface Message {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export async function screenshotPage(htmlPath: string, pngPath: string, options: ScreenshotOptions = {}): Promise<ScreenshotResult> {
  const chromium = options.chromium ?? DEFAULT_CHROMIUM;
  if (!existsSync(chromium)) throw new Error(`Chromium not found at ${chromium}`);
  const width = options.width ?? 1280;
  const timeoutMs = options.timeoutMs ?? 90_000;
  const profile = mkdtempSync(join(tmpdir(), 'mixwell-chromium-'));
  const child = spawn(
    chromium,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--hide-scrollbars',
      `--user-data-dir=${profile}`,
      '--remote-debugging-pipe',
      'about:blank',
    ],
    { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'] },
  );
  const toBrowser = child.stdio[3] as Writable;
  const fromBrowser = child.stdio[4] as Readable;
  const pending = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  const listeners: ((m: Message) => void)[] = [];
  let nextId = 1;
  let buffer = Buffer.alloc(0);
  fromBrowser.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    for (let end = buffer.indexOf(0); end >= 0; end = buffer.indexOf(0)) {
      const message = JSON.parse(buffer.subarray(0, end).toString('utf8')) as Message;
      buffer = buffer.subarray(end + 1);
      if (message.id !== undefined && pending.has(message.id)) {
        const waiter = pending.get(message.id)!;
        pending.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message);
      } else listeners.forEach((listen) => listen(message));
    }
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.once('exit', () => pending.forEach((w) => w.reject(new Error('Chromium exited'))));
  const send = (method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> =>
    new Promise((resolvePromise, reject) => {
      const id = nextId++;
      pending.set(id, { resolve: (m) => resolvePromise(m.result ?? {}), reject });
      toBrowser.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    });
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
  const consoleErrors: string[] = [];
  const dialogs: string[] = [];
  try {
    const { targetId } = (await send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    let loaded = false;
    listeners.push((m) => {
      if (m.sessionId !== sessionId) return;
      const p = m.params ?? {};
      if (m.method === 'Runtime.consoleAPICalled' && p.type === 'error') {
        consoleErrors.push(((p.args as { value?: unknown; description?: string }[]) ?? []).map((a) => String(a.value ?? a.description ?? '')).join(' '));
      } else if (m.method === 'Runtime.exceptionThrown') {
        const details = p.exceptionDetails as { text?: string; exception?: { description?: string } };
        consoleErrors.push(`${details.text ?? 'exception'} ${details.exception?.description ?? ''}`.trim());
      } else if (m.method === 'Log.entryAdded') {
        const entry = p.entry as { level: string; text: string; url?: string };
        if (entry.level === 'error') consoleErrors.push(`${entry.text}${entry.url ? ` (${entry.url})` : ''}`);
      } else if (m.method === 'Page.javascriptDialogOpening') {
        dialogs.push(`${String(p.type)}: ${String(p.message)}`);
        // a dialog blocks the page's scripts (and our evaluations) until it is closed
        send('Page.handleJavaScriptDialog', { accept: false }, sessionId).catch(() => undefined);
      } else if (m.method === 'Page.loadEventFired') loaded = true;
    });
    await send('Runtime.enable', {}, sessionId);
    await send('Log.enable', {}, sessionId);
    await send('Page.enable', {}, sessionId);
    await send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, sessionId);
    if (options.initScript) await send('Page.addScriptToEvaluateOnNewDocument', { source: options.initScript }, sessionId);
    await send('Page.navigate', { url: pathToFileURL(resolve(htmlPath)).href }, sessionId);
    const evaluate = async (expression: string): Promise<unknown> => {
      const out = (await send('Runtime.evaluate', { expression, returnByValue: true }, sessionId)) as { result?: { value?: unknown } };
      return out.result?.value;
    };
    const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
    while (!loaded && Date.now() < deadline) await sleep(50);
    let rendered: unknown = null;
    while (Date.now() < deadline) {
      rendered = await evaluate("document.body && document.body.getAttribute('data-charts-rendered')");
      if (rendered !== null && rendered !== undefined) break;
      await sleep(100);
    }
    if (rendered === null || rendered === undefined) throw new Error(`charts were not drawn within ${timeoutMs} ms`);
    await sleep(200); // let the last SVGs settle into layout
    const counts = (await evaluate(`(() => {
      const containers = Array.from(document.querySelectorAll('.chart'));
      return {
        containers: containers.length,
        drawn: containers.filter((c) => c.querySelector('svg, canvas')).length,
        failed: document.body.getAttribute('data-charts-failed') || '',
        height: Math.ceil(document.documentElement.scrollHeight),
      };
    })()`)) as { containers: number; drawn: number; failed: string; height: number };
    const probe = options.probe === undefined ? undefined : await evaluate(options.probe);
    const height = Math.min(counts.height, options.maxHeight ?? 30_000);
    await send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false }, sessionId);
    const shot = (await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y: 0, width, height, scale: 1 } }, sessionId)) as { data: string };
    writeFileSync(pngPath, Buffer.from(shot.data, 'base64'));
    const slices: string[] = [];
    for (let y = 0, k = 1; options.sliceHeight && y < height; y += options.sliceHeight, k++) {
      const part = (await send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true, clip: { x: 0, y, width, height: Math.min(options.sliceHeight, height - y), scale: 1 } }, sessionId)) as { data: string };
      const path = pngPath.replace(/\.png$/i, '') + `-${k}.png`;
      writeFileSync(path, Buffer.from(part.data, 'base64'));
      slices.push(path);
    }
    await send('Browser.close').catch(() => undefined);
    return {
      consoleErrors,
      dialogs,
      ...(options.probe === undefined ? {} : { probe }),
      chartContainers: counts.containers,
      chartsDrawn: counts.drawn,
      rendered: Number(rendered),
      failed: counts.failed ? counts.failed.split(',') : [],
      pageHeight: counts.height,
      png: pngPath,
      slices,
    };
  } finally {
    clearTimeout(timer);
    if (child.exitCode === null) {
      const timeout = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timeout);
    }
    rmSync(profile, { recursive: true, force: true });
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const args = [...argv];
  const option = (name: string): string | undefined => {
    const at = args.indexOf(name);
    if (at < 0) return undefined;
    const value = args[at + 1];
    args.splice(at, 2);
    return value;
  };
  const chromium = option('--chromium');
  const slice = option('--slices');
  const [html, png = html.replace(/\.html?$/, '') + '.png'] = args;
  if (!html) {
    process.stderr.write('usage: npx tsx scripts/report-screenshot.ts REPORT.html [OUT.png] [--chromium PATH] [--slices HEIGHT]\n');
    return 2;
  }
  const executable = findChromium(chromium);
  if (!executable) {
    process.stderr.write(`Chromium not found (${chromium ?? process.env.CHROMIUM ?? DEFAULT_CHROMIUM}): install it (Debian: apt-get install chromium) or pass --chromium PATH; skipping the browser check.\n`);
    return 2;
  }
  const result = await screenshotPage(html, png, { chromium: executable, sliceHeight: slice ? Number(slice) : undefined });
  process.stdout.write(JSON.stringify(result, null, 1) + '\n');
  return result.consoleErrors.length === 0 && result.dialogs.length === 0 && result.chartsDrawn === result.chartContainers && result.failed.length === 0 ? 0 : 1;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.exitCode = await main(process.argv.slice(2));
}
