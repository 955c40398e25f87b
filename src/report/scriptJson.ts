/**
 * Text inside a `<script>` element of a page: the chart specs as JSON (`scriptJson`, user names
 * included) and the inlined Vega libraries (`scriptSource`). The HTML parser ends a script at the
 * first `</script` and changes state at `<!--` whatever the JavaScript means, so JSON writes every
 * `<` as `\u003c` (no `</script>` and no `<!--` can appear; JSON.parse reads it back as `<`), and
 * U+2028 and U+2029 escaped (line terminators in older JavaScript). A script's source has only its
 * `</script` sequences broken, in any case (`<\/script`, `<\/SCRIPT`: the same string or regular
 * expression to JavaScript).
 */

/** JSON safe inside a <script> block. */
export function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/** JavaScript source safe inside a <script> block. */
export function scriptSource(source: string): string {
  return source.replace(/<\/(script)/gi, '<\\/$1');
}
