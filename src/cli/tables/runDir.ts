/** The run-directory positional (DIR) of the commands that read a fitted run. Import-free (spec.ts). */

/** DIR, written by `mixwell fit`; `missing` is the usage error without it. */
export function runDirectory(command: string) {
  return { name: 'DIR', description: 'The run directory written by mixwell fit.', missing: `${command} needs one run directory` } as const;
}
