/**
 * The batch journal, `<batch dir>/batch-journal.ndjson`: one JSON line per event (an attempt
 * started, a fit committed, an attempt failed), appended by whoever saw it, so a batch's history
 * survives any crash and shows which worker did what. Each line is written with one append
 * (O_APPEND), which local file systems apply atomically for lines this short; on network file
 * systems lines from different machines could interleave, so readers skip lines that do not parse.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

export const JOURNAL_FILE = 'batch-journal.ndjson';

export interface JournalEvent {
  readonly time: string;
  readonly event: 'start' | 'committed' | 'failed' | 'skipped';
  readonly fit: string;
  readonly attempt?: number;
  readonly worker?: string;
  readonly host?: string;
  readonly pid?: number;
  readonly message?: string;
}

export function journalPath(batchDir: string): string {
  return join(batchDir, JOURNAL_FILE);
}

export function appendJournal(path: string, event: Omit<JournalEvent, 'time'>): void {
  mkdirSync(dirname(path), { recursive: true });
  appendFileSync(path, JSON.stringify({ time: new Date().toISOString(), ...event }) + '\n');
}

export function readJournal(path: string): JournalEvent[] {
  if (!existsSync(path)) return [];
  const events: JournalEvent[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch {
      // a torn line (see the module comment)
    }
  }
  return events;
}
