/**
 * The data layer: long-format CSV (one row per geo and period) -> validated dense geo-major
 * tensors (`MmmData`) -> the reference model's scaling (`ScaledData`, `Scaling`), plus the
 * model's deterministic time features. See types.ts for the layout and row-number conventions,
 * build.ts for every validation rule, scaling.ts for the scaling conventions.
 */
export type {
  ChannelKind,
  ChannelSpec,
  DataSpec,
  DateFormat,
  Imputation,
  ImputeMethod,
  MmmData,
  OrganicSpec,
  PartialDataSpec,
  Provenance,
  RoleDetection,
  TreatmentBaseline,
  TreatmentSpec,
  ValidationIssue,
} from './types.js';
export { isPaidKind, isReachFrequencyKind } from './channelKinds.js';
export { DataValidationError, DEFAULT_MAX_ISSUES, formatIssue } from './errors.js';
export { readCsv, tableSource, sha256Hex, ROW_COLUMN, UNUSABLE_NAME, type CsvSource, type ReadCsvOptions } from './csv.js';
export { MISSING_MARKERS } from './cells.js';
export { detectRoles, spendColumnChannel, DETECTION_NAMES, DATE_FORMATS, type ResolvedRoles } from './roles.js';
export { buildMmmData, NATIONAL_GEO, SUSPICIOUS_KPI_FRACTION, type BuildOptions } from './build.js';
export { loadCsvSource, loadMmmData, parseMmmData, type LoadOptions } from './load.js';
export {
  scaleData,
  scaleWith,
  kpiUnit,
  spendUnit,
  mediaUnit,
  kpiToOriginal,
  kpiToScaled,
  spendToOriginal,
  spendToScaled,
  mediaToOriginal,
  mediaToScaled,
  controlToOriginal,
  controlToScaled,
  kpiTensorToOriginal,
  type Scaling,
  type ScaledData,
  type ScalingOptions,
  type KpiScaling,
} from './scaling.js';
export { fourierFeatures, trendFeature } from './features.js';
