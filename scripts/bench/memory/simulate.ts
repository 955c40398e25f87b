/**
 * Seeded geo data of any size for the memory benchmark: G geos x T weeks x C channels (spend with
 * on/off flighting), 2 controls and a population per geo; the KPI from geometric adstock, Hill
 * saturation, geo levels proportional to population, trend, yearly seasonality and Normal noise.
 * Only the shapes matter for memory; the process is close enough to the model for the sampler to
 * behave as on real data. `simulateGeoCsv` returns the CSV text and the run config that reads it.
 */
import { createRng } from '../../../src/tensor/index.js';

export interface SimulatedShape {
  readonly geos: number;
  readonly weeks: number;
  readonly channels: number;
  readonly seed: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

function mondays(start: string, count: number): string[] {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, t) => new Date(first + t * 7 * 86_400_000).toISOString().slice(0, 10));
}

export function simulateGeoCsv(shape: SimulatedShape): { csv: string; config: Record<string, unknown> } {
  const { geos: G, weeks: T, channels: C, seed } = shape;
  const rng = createRng(seed, 'bench-memory-data');
  const channelNames = Array.from({ length: C }, (_, c) => `ch${pad(c + 1, 2)}`);
  const geoNames = Array.from({ length: G }, (_, g) => `geo${pad(g + 1, 3)}`);
  const dates = mondays('2022-01-03', T);
  const population = geoNames.map(() => Math.round(2e5 * Math.exp(1.0 * rng.normal())));
  const meanPopulation = population.reduce((a, b) => a + b, 0) / G;
  // per channel: mean weekly spend per capita, adstock retention, Hill half-saturation and slope, effect size
  const spendPerCapita = channelNames.map(() => 0.002 + 0.01 * rng.uniform());
  const alpha = channelNames.map(() => 0.1 + 0.6 * rng.uniform());
  const half = channelNames.map(() => 0.5 + rng.uniform());
  const slope = channelNames.map(() => 1 + 1.5 * rng.uniform());
  const effect = channelNames.map(() => 0.02 + 0.08 * rng.uniform());
  const header = ['geo', 'date', ...channelNames.map((name) => `${name}_spend`), 'price', 'temperature', 'population', 'sales'];
  const lines = [header.join(',')];
  const spend = new Float64Array(T * C);
  const adstock = new Float64Array(C);
  for (let g = 0; g < G; g++) {
    const scale = population[g] / meanPopulation;
    const level = 1 + 0.2 * rng.normal();
    adstock.fill(0);
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < C; c++) {
        const on = rng.uniform() < 0.75 ? 1 : 0;
        spend[t * C + c] = on * population[g] * spendPerCapita[c] * Math.exp(0.5 * rng.normal());
      }
    }
    for (let t = 0; t < T; t++) {
      const price = 1 + 0.05 * rng.normal();
      const temperature = 12 + 10 * Math.sin((2 * Math.PI * t) / 52) + 2 * rng.normal();
      let mu = level * (1 + 0.001 * t) + 0.1 * Math.sin((2 * Math.PI * t) / 52) - 0.3 * (price - 1) + 0.002 * (temperature - 12);
      for (let c = 0; c < C; c++) {
        adstock[c] = spend[t * C + c] / (population[g] * spendPerCapita[c]) + alpha[c] * adstock[c];
        const x = adstock[c] * (1 - alpha[c]);
        mu += effect[c] * x ** slope[c] / (x ** slope[c] + half[c] ** slope[c]);
      }
      const sales = Math.max(0, 10_000 * scale * (mu + 0.05 * rng.normal()));
      const cells = [geoNames[g], dates[t], ...channelNames.map((_, c) => spend[t * C + c].toFixed(2)), price.toFixed(4), temperature.toFixed(2), String(population[g]), sales.toFixed(2)];
      lines.push(cells.join(','));
    }
  }
  const config = {
    data: {
      geo: 'geo',
      date: 'date',
      dateFormat: 'YYYY-MM-DD',
      kpi: 'sales',
      revenuePerKpi: null,
      population: 'population',
      channels: channelNames.map((name) => ({ name, spend: `${name}_spend` })),
      controls: ['price', 'temperature'],
      events: [],
    },
  };
  return { csv: lines.join('\n') + '\n', config };
}
