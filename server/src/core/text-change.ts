/** The one stretch of text that differs between two versions of a file: `[start, oldEnd)` before became `[start, newEnd)` after. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** The change from `before` to `after`, as the longest common prefix and suffix leave it. */
export function textChange(before: string, after: string): TextChange {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shorter - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}
