/** An HTML id fragment from any text: lower-case letters, digits and `-` only. */
export function slug(...parts: readonly string[]): string {
  return parts
    .join('-')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
