/**
 * Reading a JSON config file from disk: the parsed value, or an error naming the file and saying
 * whether it could not be read or is not valid JSON. What the value means is the parsers' business.
 */
import { readFileSync } from 'node:fs';

/** Read a JSON config file; errors name the file. */
export function readJsonConfig(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`${path}: cannot read config (${(error as Error).message})`);
  }
  try {
    // a UTF-8 byte order mark (as some editors save files) is not part of the JSON
    return JSON.parse(text.replace(/^\ufeff/, ''));
  } catch (error) {
    throw new Error(`${path}: not valid JSON (${(error as Error).message})`);
  }
}
