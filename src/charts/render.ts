/**
 * Vega-Lite spec -> Vega spec (vega-lite `compile`) -> SVG text, in Node with Vega's headless
 * view (renderer "none", `toSVG`): no browser and no canvas. Without node-canvas Vega estimates text
 * widths from the font size, which is close enough for static charts. Vega: Satyanarayan, Russell,
 * Moritz & Heer 2016, "Reactive Vega: A Streaming Dataflow Architecture for Declarative Interactive
 * Visualization", IEEE TVCG 22(1).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartSpec } from './spec.js';

/** The Vega spec of a Vega-Lite spec; throws on an invalid spec. Warnings are collected, not printed. */
export function compileSpec(spec: ChartSpec): { vega: vega.Spec; warnings: string[] } {
  const warnings: string[] = [];
  const logger = {
    level: (_?: number) => logger as never,
    error: (...args: readonly unknown[]) => {
      throw new Error(`vega-lite: ${args.map(String).join(' ')}`);
    },
    warn: (...args: readonly unknown[]) => (warnings.push(args.map(String).join(' ')), logger),
    info: () => logger,
    debug: () => logger,
  };
  const compiled = compile(spec as unknown as TopLevelSpec, { logger: logger as never });
  return { vega: compiled.spec as vega.Spec, warnings };
}

/** SVG text of a Vega-Lite spec. */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const { vega: vegaSpec } = compileSpec(spec);
  const view = new vega.View(vega.parse(vegaSpec), { renderer: 'none', logLevel: vega.Error });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
