/**
 * Convenience entry points: read a CSV (file path, bytes or text) and build validated `MmmData` in
 * one call. `loadCsvSource` is the file-reading half, for callers that want to look at or
 * transform the arquero table (e.g. drop a geo explicitly) before `buildMmmData`.
 */
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { readCsv, type CsvSource, type ReadCsvOptions } from './csv.js';
import { buildMmmData, type BuildOptions } from './build.js';
import type { MmmData, PartialDataSpec } from './types.js';

export type LoadOptions = BuildOptions & ReadCsvOptions;

/** Read a CSV file into a source (raw string table, fingerprint). The file name defaults to the path's base name. */
export async function loadCsvSource(path: string, options: ReadCsvOptions = {}): Promise<CsvSource> {
  // a directory gives fs a read error without its path: name it here
  if ((await stat(path)).isDirectory()) throw Object.assign(new Error(`${path}: is a directory, where a data file was expected`), { code: 'EISDIR', path });
  const bytes = await readFile(path);
  return readCsv(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { ...options, fileName: options.fileName ?? basename(path) });
}

/** Read a CSV file and build validated data. Throws `DataValidationError`. */
export async function loadMmmData(path: string, spec: PartialDataSpec = {}, options: LoadOptions = {}): Promise<MmmData> {
  return buildMmmData(await loadCsvSource(path, options), spec, options);
}

/** Parse CSV bytes or text and build validated data. Throws `DataValidationError`. */
export function parseMmmData(input: string | Uint8Array, spec: PartialDataSpec = {}, options: LoadOptions = {}): MmmData {
  return buildMmmData(readCsv(input, options), spec, options);
}
