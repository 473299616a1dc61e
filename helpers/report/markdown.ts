/** A table cell's text: pipes escaped, new lines flattened, so one value never breaks the row. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\n/g, " ");
}
