/**
 * Text made safe to put between HTML tags or inside a quoted attribute: the five characters that
 * could end either become entities. The one escaper of the portal's templates and the console's
 * page shells.
 */
const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}
