/**
 * The command-line loop the npm scripts here share: each argument in turn, with a reader of the
 * value that follows it (which fails naming the flag when there is none). Each script keeps its own
 * table of flags in its `handle`.
 */
export function forEachFlag(argv: readonly string[], handle: (flag: string, value: () => string) => void): void {
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    handle(flag, () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    });
  }
}
