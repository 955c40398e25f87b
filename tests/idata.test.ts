/**
 * idata.nc, the fit as ArviZ InferenceData (src/run/inferenceData.ts, src/run/netcdf4.ts), read back
 * by the Python netCDF stack: netCDF4-python (the netCDF-C library) and xarray open every group, with
 * the h5netcdf engine as a second reader. A tiny real fit of the bundled geo example (2 chains x 30
 * warmup + 20 draws, fixed seed, 8-period holdout; sampling quality is not judged) is written by
 * `writeRun`, and a Python script prints each group's dimensions, coordinates, dtypes and values as
 * JSON. Checked against the run's other files and independent computations:
 * - the ArviZ layout: the six groups, (chain, draw) first with 0-based integer coordinates, named
 *   dimensions with string labels (geo, channel, control, fourier_mode, time as dates);
 * - posterior variables equal draws.arrow (readRun) exactly (both float64); ROI's draw mean equals
 *   summary.json's ROI[c] mean; per-geo contributions sum to the channel totals; the per-geo ROI's
 *   medians equal analysis/geoRoi.ts's;
 * - sample_stats equal draws.arrow's lp__ ... energy__ (diverging read back as bool);
 * - log_likelihood equals log_lik.arrow (the same float32 values) over the fitted periods only;
 * - posterior_predictive: standardized by the draw's mean and sigma (models/mmm meanKpiHost), the
 *   replicates are N(0, 1) to sampling error (12,480 values: mean within 0.05, variance within 0.06,
 *   about 4 standard errors), and the file's float32 values are those of a recomputation;
 * - observed_data is the data's KPI, constant_data the data's spend, media and controls;
 * - root attributes (created_by, seed, backend, config_sha256 of config.json) and group attributes.
 * Also: `logLik: false` leaves the log_likelihood group out, `idata: false` the file; a fixture run of
 * the national example (one geo, no parameter table on the fit object) writes a readable file too.
 * Without python3 and its xarray and netCDF4 modules (Debian: python3-xarray python3-netcdf4) the
 * tests that read the file skip, saying so.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { geoRoiRows, posteriorPredictiveCheck } from '../src/analysis/index.js';
import { fitMmm, type MmmFit } from '../src/mmm/fit.js';
import { buildReport, type MmmReport } from '../src/mmm/report.js';
import { writeInferenceData } from '../src/run/inferenceData.js';
import { readRun, writeRun } from '../src/run/runDirectory.js';
import { geoSigma, meanKpiHost } from '../models/mmm/index.js';
import { writeExampleRun } from './fixtures/charts/exampleRun.js';

/** A Python with xarray and netCDF4, or undefined (then the reading tests skip). */
function findPython(): { python?: string; h5netcdf: boolean; reason: string } {
  const candidates = [process.env.MIXWELL_PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const python of candidates) {
    const probe = spawnSync(python, ['-c', 'import xarray, netCDF4'], { encoding: 'utf8' });
    if (probe.status === 0) {
      const h5 = spawnSync(python, ['-c', 'import h5netcdf'], { encoding: 'utf8' });
      return { python, h5netcdf: h5.status === 0, reason: '' };
    }
  }
  return { h5netcdf: false, reason: `no python3 with xarray and netCDF4 (tried ${candidates.join(', ')}; Debian: apt-get install python3-xarray python3-netcdf4)` };
}

const PYTHON = findPython();
if (!PYTHON.python) console.warn(`tests/idata.test.ts: reading idata.nc skipped: ${PYTHON.reason}`);

/** Dumps every group as JSON: dims (ordered), coords, variables (dims, dtype, shape, values; NaN as null), attrs. */
const DUMP = `
import json, math, sys
import netCDF4, numpy as np, xarray as xr
path, engine = sys.argv[1], sys.argv[2]
def plain(v):
    if isinstance(v, np.ndarray): return [plain(x) for x in v.ravel().tolist()]
    if isinstance(v, (np.generic,)): v = v.item()
    if isinstance(v, float) and math.isnan(v): return None
    return v
out = {'groups': {}}
with netCDF4.Dataset(path) as root:
    out['netcdf4_groups'] = list(root.groups)
    out['root_attrs'] = {k: plain(root.getncattr(k)) for k in root.ncattrs()}
    out['netcdf4_dims'] = {g: {v: list(root.groups[g].variables[v].dimensions) for v in root.groups[g].variables} for g in root.groups}
for g in out['netcdf4_groups']:
    with xr.open_dataset(path, group=g, engine=engine) as ds:
        out['groups'][g] = {
            'dims': {d: int(n) for d, n in ds.sizes.items()},
            'coords': {c: plain(ds[c].values) for c in ds.coords},
            'coord_dtypes': {c: str(ds[c].dtype) for c in ds.coords},
            'vars': {v: {'dims': list(ds[v].dims), 'dtype': str(ds[v].dtype), 'shape': list(ds[v].shape), 'values': plain(ds[v].values)} for v in ds.data_vars},
            'attrs': {k: plain(a) for k, a in ds.attrs.items()},
        }
print(json.dumps(out))
`;

interface DumpedVar {
  dims: string[];
  dtype: string;
  shape: number[];
  values: (number | boolean | null)[];
}
interface DumpedGroup {
  dims: Record<string, number>;
  coords: Record<string, (string | number)[]>;
  coord_dtypes: Record<string, string>;
  vars: Record<string, DumpedVar>;
  attrs: Record<string, string | number>;
}
interface Dump {
  netcdf4_groups: string[];
  root_attrs: Record<string, string | number>;
  netcdf4_dims: Record<string, Record<string, string[]>>;
  groups: Record<string, DumpedGroup>;
}

function dump(path: string, engine = 'netcdf4'): Dump {
  const result = spawnSync(PYTHON.python as string, ['-c', DUMP, path, engine], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (result.status !== 0) throw new Error(`python (${engine}) failed on ${path}:\n${result.stderr}`);
  return JSON.parse(result.stdout) as Dump;
}

const GROUPS = ['posterior', 'sample_stats', 'log_likelihood', 'posterior_predictive', 'observed_data', 'constant_data'];
const HOLDOUT = 8;

/** float32 rounding of x: |stored - x| <= 2^-24 |x| (round to nearest). */
function expectFloat32Of(stored: number, x: number): void {
  expect(Math.abs(stored - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -24 * 1.0001);
}

describe('idata.nc (ArviZ InferenceData, netCDF-4)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixwell-idata-'));
  const run = join(dir, 'run');
  let fit: MmmFit;
  let report: MmmReport;

  beforeAll(async () => {
    const config = { ...JSON.parse(readFileSync('examples/geo.config.json', 'utf8')), holdout: { periods: HOLDOUT } };
    fit = await fitMmm('examples/geo.csv', config, { chains: 2, warmup: 30, draws: 20, seed: 11, progress: false, verbose: false });
    report = buildReport(fit, { priorDraws: 100 });
    await writeRun(run, fit, report);
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writeRun writes idata.nc; { idata: false } leaves it out (and removes an old one)', async () => {
    expect(existsSync(join(run, 'idata.nc'))).toBe(true);
    const other = join(dir, 'no-idata');
    await writeRun(other, fit, report, { idata: true, logLik: false });
    expect(existsSync(join(other, 'idata.nc'))).toBe(true);
    await writeRun(other, fit, report, { idata: false });
    expect(existsSync(join(other, 'idata.nc'))).toBe(false);
    expect(existsSync(join(other, 'idata.nc.partial'))).toBe(false);
  });

  describe.skipIf(!PYTHON.python)('read back by netCDF4-python and xarray', () => {
    let file: Dump;
    beforeAll(() => {
      file = dump(join(run, 'idata.nc'));
    });

    it('has the six InferenceData groups with (chain, draw) first and named, labelled dimensions', () => {
      expect(file.netcdf4_groups).toEqual(GROUPS);
      const { design } = fit;
      const T = design.dates.length;
      for (const name of ['posterior', 'sample_stats', 'log_likelihood', 'posterior_predictive']) {
        const group = file.groups[name];
        expect(group.coords.chain).toEqual([0, 1]);
        expect(group.coords.draw).toEqual(Array.from({ length: 20 }, (_, i) => i));
        expect(group.coord_dtypes.chain).toBe('int64');
        for (const [v, spec] of Object.entries(group.vars)) expect(spec.dims.slice(0, 2), `${name}.${v}`).toEqual(['chain', 'draw']);
      }
      for (const name of ['observed_data', 'constant_data']) expect(Object.keys(file.groups[name].dims)).not.toContain('chain');
      const posterior = file.groups.posterior;
      expect(posterior.coords.geo).toEqual(design.geoNames);
      expect(posterior.coords.channel).toEqual(design.channelNames);
      expect(posterior.coords.control).toEqual(design.controlNames);
      expect(posterior.coords.fourier_mode).toEqual(['sin1', 'cos1', 'sin2', 'cos2'].slice(0, posterior.dims.fourier_mode));
      expect(posterior.vars.u.dims).toEqual(['chain', 'draw', 'geo', 'channel']);
      expect(posterior.vars.alpha.dims).toEqual(['chain', 'draw', 'channel']);
      expect(posterior.vars.v.dims).toEqual(['chain', 'draw', 'geo']);
      expect(posterior.vars.gamma.dims).toEqual(['chain', 'draw', 'control']);
      expect(posterior.vars.sigma.dims).toEqual(['chain', 'draw']);
      expect(posterior.vars.ROI.dims).toEqual(['chain', 'draw', 'channel']);
      expect(posterior.vars.ROI_by_geo.dims).toEqual(['chain', 'draw', 'geo', 'channel']);
      // netCDF-C itself names the same dimensions
      expect(file.netcdf4_dims.posterior.u).toEqual(['chain', 'draw', 'geo', 'channel']);
      expect(file.groups.observed_data.coords.time).toEqual(design.dates);
      expect(file.groups.posterior_predictive.vars.kpi.dims).toEqual(['chain', 'draw', 'geo', 'time']);
      expect(file.groups.posterior_predictive.coords.time).toEqual(design.dates);
      expect(file.groups.log_likelihood.coords.time).toEqual(design.dates.slice(0, T - HOLDOUT));
      expect(file.groups.constant_data.vars.spend.dims).toEqual(['geo', 'time', 'channel']);
      expect(file.groups.constant_data.vars.controls.dims).toEqual(['geo', 'time', 'control']);
      expect(file.groups.sample_stats.vars.diverging.dtype).toBe('bool');
      expect(file.groups.log_likelihood.vars.kpi.dtype).toBe('float32');
      expect(file.groups.posterior.vars.u.dtype).toBe('float64');
    });

    it('posterior variables equal draws.arrow; ROI, per-geo contribution and ROI agree with the report and geoRoi.ts', () => {
      const stored = readRun(run);
      const posterior = file.groups.posterior;
      for (const variable of stored.posterior.variables) {
        const got = posterior.vars[variable.name];
        expect(got, variable.name).toBeDefined();
        expect(got.shape).toEqual([2, 20, ...variable.shape]);
        // [chain, draw, ...] row-major in both; float64 both: exact
        expect(got.values).toEqual(Array.from(variable.values));
      }
      const C = fit.design.channelNames.length;
      const G = fit.design.geoNames.length;
      const S = 40;
      const roi = posterior.vars.ROI.values as number[];
      for (let c = 0; c < C; c++) {
        let mean = 0;
        for (let s = 0; s < S; s++) mean += roi[s * C + c] / S;
        const row = stored.summary.roi.find((r) => r.name === `ROI[${c + 1}]`)!;
        expect(mean).toBeCloseTo(row.mean, 9);
      }
      const total = posterior.vars.media_contribution.values as number[];
      const byGeo = posterior.vars.media_contribution_by_geo.values as number[];
      for (let s = 0; s < S; s++) {
        for (let c = 0; c < C; c++) {
          let sum = 0;
          for (let g = 0; g < G; g++) sum += byGeo[(s * G + g) * C + c];
          expect(sum / total[s * C + c]).toBeCloseTo(1, 12);
        }
      }
      const geoRoi = posterior.vars.ROI_by_geo.values as number[];
      for (const row of geoRoiRows(fit.design, fit.model.config, fit.result.posterior, { maxDraws: S })) {
        const g = fit.design.geoNames.indexOf(row.geo);
        const c = fit.design.channelNames.indexOf(row.channel);
        const draws = Array.from({ length: S }, (_, s) => geoRoi[(s * G + g) * C + c]).sort((a, b) => a - b);
        expect((draws[S / 2 - 1] + draws[S / 2]) / 2).toBeCloseTo(row.median, 9);
      }
    });

    it('sample_stats equal the sampler statistics in draws.arrow', () => {
      const table = tableFromIPC(readFileSync(join(run, 'draws.arrow')));
      const stats = file.groups.sample_stats.vars;
      const pairs: [string, string][] = [['lp', 'lp__'], ['acceptance_rate', 'accept_stat__'], ['step_size', 'stepsize__'], ['tree_depth', 'treedepth__'], ['n_steps', 'n_leapfrog__'], ['energy', 'energy__']];
      for (const [name, column] of pairs) expect(stats[name].values, name).toEqual(Array.from(table.getChild(column)!.toArray() as Float64Array));
      expect(stats.diverging.values).toEqual(Array.from(table.getChild('divergent__')!.toArray() as Float64Array, (x) => x === 1));
      expect(stats.tree_depth.dtype).toBe('int32');
    });

    it('log_likelihood equals log_lik.arrow over the fitted periods', () => {
      const table = tableFromIPC(readFileSync(join(run, 'log_lik.arrow')));
      const values = file.groups.log_likelihood.vars.kpi.values as number[];
      const G = fit.design.geoNames.length;
      const P = fit.design.dates.length - HOLDOUT;
      expect(file.groups.log_likelihood.vars.kpi.shape).toEqual([2, 20, G, P]);
      for (let g = 0; g < G; g++) {
        for (let t = 0; t < P; t++) {
          const column = table.getChild(`log_lik[${g + 1},${t + 1}]`)!.toArray() as Float32Array;
          for (let s = 0; s < 40; s++) expect(values[(s * G + g) * P + t]).toBe(column[s]);
        }
      }
    });

    it('posterior_predictive: the KPI replicated per draw, N(mean, sigma) to sampling error, float32 of a recomputation', () => {
      const { design } = fit;
      const config = fit.model.config;
      const posterior = fit.result.posterior;
      const G = design.geoNames.length;
      const T = design.dates.length;
      const values = file.groups.posterior_predictive.vars.kpi.values as number[];
      expect(values.length).toBe(40 * G * T);
      let sum = 0;
      let squares = 0;
      for (let s = 0; s < 40; s++) {
        const draw = posterior.drawValues(Math.floor(s / 20), s % 20);
        const mean = meanKpiHost(design, config, draw);
        for (let n = 0; n < G * T; n++) {
          const g = Math.floor(n / T);
          const z = (values[s * G * T + n] / design.kpiUnit[g] - mean[n]) / geoSigma(draw, g);
          sum += z;
          squares += z * z;
        }
      }
      const count = 40 * G * T;
      expect(Math.abs(sum / count)).toBeLessThan(0.05);
      expect(Math.abs(squares / count - (sum / count) ** 2 - 1)).toBeLessThan(0.06);
      const again = posteriorPredictiveCheck(design, config, posterior, { seed: fit.sampler.seed, keepReplicates: 40 });
      for (let i = 0; i < count; i += 97) expectFloat32Of(values[i], again.replicates[i]);
    });

    it('observed_data and constant_data hold the data', () => {
      const { data } = fit;
      const G = data.G;
      const T = data.T;
      const kpi = file.groups.observed_data.vars.kpi.values as number[];
      kpi.forEach((y, n) => expect(y / data.kpi[n]).toBeCloseTo(1, 12));
      const constant = file.groups.constant_data.vars;
      expect(constant.spend.values).toEqual(Array.from(data.spend));
      expect(constant.media.values).toEqual(Array.from(data.media));
      expect(constant.controls.values).toEqual(Array.from(data.controls));
      expect(constant.population.values).toEqual(Array.from(data.population!));
      expect(constant.in_likelihood.values).toEqual(Array.from({ length: G * T }, (_, n) => n % T < T - HOLDOUT));
    });

    it('root and group attributes: created_by, seed, backend, config_sha256, inference_library', () => {
      const attrs = file.root_attrs;
      const version = JSON.parse(readFileSync('package.json', 'utf8')).version;
      expect(attrs.created_by).toBe(`mixwell ${version}`);
      expect(attrs.inference_library).toBe('mixwell');
      expect(attrs.seed).toBe(11);
      expect(attrs.backend).toBe(fit.backend.name);
      expect(attrs.config_sha256).toBe(createHash('sha256').update(readFileSync(join(run, 'config.json'))).digest('hex'));
      const provenance = JSON.parse(readFileSync(join(run, 'provenance.json'), 'utf8'));
      expect(attrs.created_at).toBe(provenance.created);
      for (const name of GROUPS) {
        expect(file.groups[name].attrs.created_at, name).toBe(provenance.created);
        expect(file.groups[name].attrs.inference_library, name).toBe('mixwell');
      }
      expect(file.groups.posterior.attrs.tuning_steps).toBe(30);
    });

    it.skipIf(!PYTHON.h5netcdf)('h5netcdf reads the same groups and dimensions', () => {
      const other = dump(join(run, 'idata.nc'), 'h5netcdf');
      for (const name of GROUPS) {
        expect(other.groups[name].dims, name).toEqual(file.groups[name].dims);
        for (const [v, spec] of Object.entries(file.groups[name].vars)) expect(other.groups[name].vars[v].dims, `${name}.${v}`).toEqual(spec.dims);
      }
      expect(other.groups.posterior.vars.u.values).toEqual(file.groups.posterior.vars.u.values);
    });

    it('logLik: false leaves the log_likelihood group out', async () => {
      const path = join(dir, 'no-loglik.nc');
      await writeInferenceData(path, fit, report, { logLik: false });
      expect(dump(path).netcdf4_groups).toEqual(GROUPS.filter((g) => g !== 'log_likelihood'));
    });

    it('a fixture run of the national example (one geo, no parameter table) is readable too', async () => {
      const national = join(dir, 'national');
      const { posterior } = await writeExampleRun(national, { dataset: 'national', chains: 2, draws: 15, holdout: 4, idata: true });
      const read = dump(join(national, 'idata.nc'));
      expect(read.netcdf4_groups).toEqual(GROUPS);
      const group = read.groups.posterior;
      expect(group.vars.ROI_by_geo).toBeUndefined();
      for (const variable of posterior.variables) {
        expect(group.vars[variable.name].values, variable.name).toEqual(Array.from(variable.values));
        expect(group.vars[variable.name].dims.length).toBe(2 + variable.shape.length);
      }
    });
  });
});
