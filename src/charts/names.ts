/**
 * How user names (channels, geos, controls, treatments, parameters labelled by them) enter a
 * Vega-Lite spec: only as data values, never as field names and never inside an expression.
 *
 * Field names: every chart is long format (`{ channel: "tv", value: 1 }`), so a name is never a
 * field and Vega's field-path syntax (`a.b` nested, `a[0]` an index) never applies to it.
 *
 * Expressions: Vega-Lite writes the values of a sort array (`sort: ["tv", "search"]`), and of a
 * colour scale's domain when it aligns a stack or an offset with it, into formula expressions as
 * string literals. Vega's expression parser (vega-expression 6) reads a string literal whose value
 * is "if" or an Object.prototype member ("constructor", "toString", "__proto__", ...) as an
 * identifier (`legalKeywords[value]` in parsePrimaryExpression), which breaks the chart ("Operator
 * not defined") or mis-sorts it, and rejects a raw U+2028 or U+2029 in a literal ("Unexpected
 * token ILLEGAL"), which JSON.stringify leaves unescaped. No escaping on our side can help, since
 * Vega-Lite writes the literal. So an ordered category gets a numeric position in each row
 * (`withOrder`, field `<field>Order`) and the encoding or facet sorts by it (`sortByOrder`); a
 * stack of one series per bar or panel coloured by channel sets `stack: null` (adstock, spend share,
 * zero spend) or an `order` value (ROI densities), so Vega-Lite does not order it by the colour domain. Titles holding a name (Vega-Lite copies a tooltip's
 * and an encoding's title into its tooltip and description expressions) go through `titleText`.
 */

/** The numeric field holding a row's position in the order of `field` ("channel" -> "channelOrder"). */
export function orderField(field: string): string {
  return `${field}Order`;
}

/**
 * Rows with, for each field of `orders`, the position of the row's value in that order
 * (`<field>Order`: 0, 1, ...; a value not in the order comes after all those that are). A Map, not
 * an object, looks the names up, so "__proto__" or "constructor" are names like any other.
 */
export function withOrder<T extends object>(rows: readonly T[], orders: Readonly<Record<string, readonly string[]>>): (T & Record<string, unknown>)[] {
  const positions = Object.entries(orders).map(([field, order]) => [field, new Map(order.map((name, i) => [name, i] as const)), order.length] as const);
  return rows.map((row) => {
    const out: Record<string, unknown> = { ...(row as Record<string, unknown>) };
    for (const [field, position, after] of positions) out[orderField(field)] = position.get((row as Record<string, unknown>)[field] as string) ?? after;
    return out as T & Record<string, unknown>;
  });
}

/** The sort of an encoding or facet by `field`'s order field (the order given to `withOrder`). */
export function sortByOrder(field: string): { field: string; op: 'min' } {
  return { field: orderField(field), op: 'min' };
}

/** A title that holds a user name: line and paragraph separators (U+2028, U+2029) become spaces. */
export function titleText(text: string): string {
  return text.replace(/[\u2028\u2029]/g, ' ');
}
