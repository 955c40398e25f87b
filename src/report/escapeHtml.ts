/**
 * Text in HTML: every user string (channel, geo, control, treatment and experiment names, file and
 * run paths, health-check messages) written into report.html, inspect.html or the mediation page
 * goes through `escapeHtml`, in element content and in quoted attribute values alike. The five
 * characters that can end a text run or an attribute value (`&`, `<`, `>`, `"`, `'`) become
 * character references; everything else (non-ASCII letters, emoji, spaces) stays as written, so
 * the browser shows the name exactly, as text.
 */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}
