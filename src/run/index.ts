/**
 * The run directory of a fit on disk: writing it and reading it back (config, design, summary,
 * health, provenance), the posterior draws (Arrow and CmdStan CSV), the pointwise log-likelihood
 * and PSIS-LOO files, the fit as ArviZ InferenceData (idata.nc, netCDF-4), the per-chain sampler
 * statistics and fit metrics the report reads, and the CSV of tidy rows every table uses. Files
 * only: what is computed from them is src/analysis, how they are shown is src/report.
 */
export { csvToRows, csvNumber } from './csvRead.js';
export { rowsToCsv } from './csvWrite.js';
export { writeDraws, readDraws } from './drawsFiles.js';
export {
  LOG_LIK_FILE,
  LOG_LIK_HOLDOUT_FILE,
  LOO_POINTWISE_FILE,
  looPointwiseRows,
  writeLooFiles,
  readLooPointwise,
  computeLooPointwise,
  type LooPointwiseRow,
  type LogLikFileOptions,
} from './looFiles.js';
export { writeJson, writeRun, readRun, type WriteRunOptions, type StoredHoldoutLpd, type StoredRun } from './runDirectory.js';
export { versions } from './versions.js';
export { packageVersion } from '../config/packageVersion.js';
export { IDATA_FILE, inferenceData, writeInferenceData, type InferenceDataOptions } from './inferenceData.js';
export { checkNetcdf, writeNetcdf4, type NcAttribute, type NcAttributes, type NcDimension, type NcFile, type NcGroup, type NcValues, type NcVariable } from './netcdf4.js';
export { chainStatsFromDraws, readFitMetricsCsv, readRunFiles, type RunFiles } from './runFiles.js';
