/**
 * Batch fits: a manifest of many fits (manifest.ts) planned into concrete fits with fingerprints
 * (plan.ts), run on this machine by a pool of fit worker processes (pool.ts) or on a distributed
 * BullMQ/Redis queue by any number of workers (queue.ts, queueWorker.ts), resumable (outputState.ts),
 * recorded in batch.json (batchRecord.ts) and the journal (journal.ts), with rolling-window
 * stability reports (stability.ts, stabilityReport.ts); paths confined to a root (pathRoot.ts).
 */
export { loadManifest, parseManifest, type Manifest, type ManifestEntry, type ManifestOptions, type DataFilter, type RollingSpec, type BacktestSpec, type FitOptions } from './manifest.js';
export { openRoot, confinePath, realPathOf, PathRootError, type PathRoot, type PathUse } from './pathRoot.js';
export { planBatch, fitFingerprint, DEFAULT_RETRIES, type BatchPlan, type FitTask, type SeriesInfo } from './plan.js';
export { filterSource, filterRoles, datesOf, geoNamesOf, FilterError } from './filter.js';
export { mergePatch, canonicalJson } from './mergePatch.js';
export { outputState, removePartials, RUN_FILES, type OutputState } from './outputState.js';
export { healthSummary, formatHealth, formatRoi, OUTCOME_FILE, type FitOutcome, type HealthSummary, type RoiHeadline } from './outcome.js';
export { readBatchRecord, writeBatchRecord, BATCH_FILE, type BatchRecord, type FitRecord, type FitStatus } from './batchRecord.js';
export { readJournal, journalPath, JOURNAL_FILE, type JournalEvent } from './journal.js';
export { runFitTask, isRetryable, InputError } from './runFit.js';
export { FitWorkerProcess, type AttemptResult } from './workerProcess.js';
export { runLocalBatch, type LocalBatchOptions, type BatchEvent } from './pool.js';
export { createProgressView, type ProgressView } from './progressView.js';
export { enqueueBatch, queueStatus, queueCounts, waitForBatch, parseQueueUrl, fitJobId, DEFAULT_QUEUE_NAME, type QueueTarget, type FitJobData } from './queue.js';
export { startQueueWorker, type QueueWorkerOptions, type QueueWorkerEvent, type QueueWorkerHandle } from './queueWorker.js';
export { stabilityRows, stabilitySummary, windowRows, verdictOf, METRIC_LABELS, type StabilityRow, type StabilitySummaryRow, type StabilityMetric, type StabilityVerdict } from './stability.js';
export { stabilityReports, planSeries, formatStability, type StabilityReport } from './stabilityReport.js';
