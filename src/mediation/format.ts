/**
 * Plain-text tables of a mediation fit's effects (src/analysis/mediationEffects.ts): per channel the
 * direct, indirect and total contribution (KPI over the window) and marginal effect (KPI per unit
 * of activity) with their 90% intervals, then the path effects, then sampler warnings.
 */
import type { MediationEffects } from '../analysis/mediationEffects.js';
import type { SamplerHealth } from '../inference/index.js';

/** A number in about 4 significant digits (exponent form outside [1e-4, 1e7)). */
export function formatNumberShort(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e7 || magnitude < 1e-4) return value.toExponential(3);
  return value.toFixed(Math.min(8, Math.max(0, 3 - Math.floor(Math.log10(magnitude)))));
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => r[j].length)));
  const line = (cells: readonly string[]) => cells.map((cell, j) => (j <= 1 ? cell.padEnd(widths[j]) : cell.padStart(widths[j]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

export function formatMediationEffects(effects: MediationEffects, health?: SamplerHealth): string {
  const parts: string[] = [];
  for (const measure of ['contribution', 'marginal'] as const) {
    const rows = effects.effects.filter((r) => r.measure === measure);
    parts.push(
      measure === 'contribution'
        ? 'Effects on the KPI, channel switched off over the window (KPI units, summed):'
        : `Marginal effects, channel activity scaled by 1 + ${effects.marginalStep} (KPI per unit of activity):`,
    );
    parts.push(table(['channel', 'effect', 'mean', 'median', '5%', '95%', 'P(>0)'], rows.map((r) => [r.channel, r.effect, formatNumberShort(r.mean), formatNumberShort(r.median), formatNumberShort(r.q05), formatNumberShort(r.q95), r.probabilityPositive.toFixed(2)])));
    parts.push('');
  }
  parts.push('Paths (mediator activity per unit of driver activity, other drivers held):');
  parts.push(table(['driver', 'mediator', 'mean', 'median', '5%', '95%', 'P(>0)'], effects.paths.map((r) => [r.driver, r.mediator, formatNumberShort(r.mean), formatNumberShort(r.median), formatNumberShort(r.q05), formatNumberShort(r.q95), r.probabilityPositive.toFixed(2)])));
  parts.push(`(${effects.drawCount} posterior draws; total = direct + indirect per draw)`);
  if (health && health.warnings.length > 0) parts.push(...health.warnings.map((w) => `sampler warning: ${w}`));
  return parts.join('\n');
}
