/**
 * Validation errors of the data layer. Every check reports into an `IssueCollector`, which keeps
 * the first `maxIssues` errors and warnings (and counts the rest) so that one run shows all
 * problems of a file instead of stopping at the first; `throwIfErrors` then raises a single
 * `DataValidationError` that carries the list. There is no lenient mode: an error is an error.
 */
import type { ValidationIssue } from './types.js';
import { quoted } from './cells.js';

/** Default cap on the issues kept (per severity); the rest are counted ("and N more"). */
export const DEFAULT_MAX_ISSUES = 50;

export function formatIssue(issue: ValidationIssue): string {
  const where = [issue.file];
  if (issue.row !== undefined) where.push(`row ${issue.row}`);
  if (issue.column !== undefined) where.push(`column ${quoted(issue.column)}`);
  return `${where.join(', ')}: ${issue.message}`;
}

/** Thrown when the input has problems. `issues` holds the first `maxIssues`; `omitted` counts the rest. */
export class DataValidationError extends Error {
  readonly issues: readonly ValidationIssue[];
  readonly omitted: number;
  /** Warnings collected up to the point of failure (they do not cause the error). */
  readonly warnings: readonly ValidationIssue[];

  constructor(issues: readonly ValidationIssue[], omitted = 0, warnings: readonly ValidationIssue[] = []) {
    const total = issues.length + omitted;
    const lines = issues.map((i) => `  - ${formatIssue(i)}`);
    if (omitted > 0) lines.push(`  ... and ${omitted} more`);
    super(`${total} data problem${total === 1 ? '' : 's'}:\n${lines.join('\n')}`);
    this.name = 'DataValidationError';
    this.issues = issues;
    this.omitted = omitted;
    this.warnings = warnings;
  }
}

/** Accumulates issues for one file. */
export class IssueCollector {
  private readonly errorList: ValidationIssue[] = [];
  private readonly warningList: ValidationIssue[] = [];
  private omittedErrors = 0;
  private omittedWarnings = 0;

  constructor(
    readonly file: string,
    readonly maxIssues = DEFAULT_MAX_ISSUES,
  ) {}

  error(message: string, where: { row?: number; column?: string } = {}): void {
    if (this.errorList.length < this.maxIssues) {
      this.errorList.push({ severity: 'error', file: this.file, ...where, message });
    } else {
      this.omittedErrors++;
    }
  }

  warn(message: string, where: { row?: number; column?: string } = {}): void {
    if (this.warningList.length < this.maxIssues) {
      this.warningList.push({ severity: 'warning', file: this.file, ...where, message });
    } else {
      this.omittedWarnings++;
    }
  }

  get errorCount(): number {
    return this.errorList.length + this.omittedErrors;
  }

  /** Errors kept, plus a closing summary error if some were left out. */
  errors(): ValidationIssue[] {
    const out = [...this.errorList];
    if (this.omittedErrors > 0) {
      out.push({ severity: 'error', file: this.file, message: `... and ${this.omittedErrors} more` });
    }
    return out;
  }

  /** Warnings kept, plus a closing summary warning if some were left out. */
  warnings(): ValidationIssue[] {
    const out = [...this.warningList];
    if (this.omittedWarnings > 0) {
      out.push({ severity: 'warning', file: this.file, message: `... and ${this.omittedWarnings} more warnings` });
    }
    return out;
  }

  throwIfErrors(): void {
    if (this.errorCount > 0) {
      throw new DataValidationError(this.errorList, this.omittedErrors, this.warnings());
    }
  }
}
