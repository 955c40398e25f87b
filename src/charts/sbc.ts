/**
 * The ECDF-difference plot of simulation-based calibration (Säilynoja, Bürkner & Vehtari 2022,
 * "Graphical test for discrete uniformity and its applications in goodness-of-fit evaluation and
 * multiple sample comparison", section 3; as the SBC R package's `plot_ecdf_diff`): one panel per
 * test quantity, the ECDF of its fractional ranks minus the uniform CDF as a step line, over the
 * simultaneous band (grey); a quantity whose line leaves the band is drawn in the flag colour.
 * Rows from src/analysis/sbcRows.ts.
 */
import type { SbcEcdfRow, SbcQuantityRow } from '../analysis/index.js';
import { distinct, FLAG_COLOR, OK_COLOR, topLevel, type ChartSpec } from './spec.js';
import { TEXT } from './text.js';

/** Rounded for the inline data (ECDF and band are multiples of 1 / replicates minus z; 5 decimals keep them apart). */
const round = (x: number) => Math.round(x * 1e5) / 1e5;

/**
 * The chart; `draws` is L (ranks among L draws) and `level` the band's simultaneous level, for the
 * subtitle. The data are the ECDF points; the band (the same for every quantity) and each
 * quantity's verdict join them by lookup, so the spec holds them once.
 */
export function sbcEcdfSpec(ecdf: readonly SbcEcdfRow[], quantities: readonly SbcQuantityRow[], draws: number, level: number, columns = 7): ChartSpec {
  const words = TEXT.charts.sbc;
  const order = distinct(ecdf.map((r) => r.quantity));
  const data = ecdf.map((r) => ({ quantity: r.quantity, z: round(r.z), difference: round(r.difference) }));
  const band = distinct(ecdf.map((r) => round(r.z))).map((z) => {
    const row = ecdf.find((r) => round(r.z) === z)!;
    return { z, lower: round(row.lower), upper: round(row.upper) };
  });
  const verdicts = quantities.map((q) => ({ quantity: q.quantity, status: q.inBand ? words.inBand : words.outside, pValue: round(q.pValue) }));
  const outside = quantities.filter((q) => !q.inBand).length;
  const replicates = quantities[0]?.replicates ?? 0;
  const x = { field: 'z', type: 'quantitative', title: words.x, scale: { domain: [0, 1] }, axis: { values: [0, 0.5, 1], format: '.1f' } };
  return topLevel(
    words.title,
    data,
    {
      transform: [
        { lookup: 'z', from: { data: { values: band }, key: 'z', fields: ['lower', 'upper'] } },
        { lookup: 'quantity', from: { data: { values: verdicts }, key: 'quantity', fields: ['status', 'pValue'] } },
      ],
      facet: { field: 'quantity', type: 'nominal', title: null, sort: order, header: { labelFontSize: 10, labelPadding: 2 } },
      columns,
      spec: {
        width: 110,
        height: 70,
        layer: [
          { mark: { type: 'area', color: '#d9d9d9', interpolate: 'step-after' }, encoding: { x, y: { field: 'lower', type: 'quantitative', title: words.y }, y2: { field: 'upper' } } },
          // one zero line per panel (one row of each quantity's data)
          { transform: [{ filter: 'datum.z === 0' }], mark: { type: 'rule', color: '#999999', strokeWidth: 0.5 }, encoding: { y: { datum: 0, type: 'quantitative' } } },
          {
            mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.2 },
            encoding: {
              x,
              y: { field: 'difference', type: 'quantitative', title: words.y },
              color: { field: 'status', type: 'nominal', title: null, scale: { domain: [words.inBand, words.outside], range: [OK_COLOR, FLAG_COLOR] }, legend: { orient: 'top' } },
              tooltip: [
                { field: 'quantity', type: 'nominal', title: words.quantity },
                { field: 'z', type: 'quantitative', title: words.x, format: '.2f' },
                { field: 'difference', type: 'quantitative', title: words.y, format: '.3f' },
                { field: 'pValue', type: 'quantitative', title: words.chiSquareP, format: '.3f' },
              ],
            },
          },
        ],
      },
      resolve: { scale: { y: 'shared' } },
    },
    words.subtitle(replicates, draws, level, outside, quantities.length),
  );
}
