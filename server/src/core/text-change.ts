/** The one stretch of text that differs between two versions of a file: `[start, oldEnd)` before became `[start, newEnd)` after. */
export interface TextChange {
  start: number;
  oldEnd: number;
  newEnd: number;
}

/** Compared a block at a time: comparing two strings is one native call, where a character at a time is a loop over the whole file after every edit. */
const BLOCK = 256;

/** The change from `before` to `after`, as the longest common prefix and suffix leave it. */
export function textChange(before: string, after: string): TextChange {
  const shorter = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix + BLOCK <= shorter && before.slice(prefix, prefix + BLOCK) === after.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < shorter && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  const room = shorter - prefix;
  let suffix = 0;
  while (suffix + BLOCK <= room && before.slice(before.length - suffix - BLOCK, before.length - suffix) === after.slice(after.length - suffix - BLOCK, after.length - suffix)) suffix += BLOCK;
  while (suffix < room && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  return { start: prefix, oldEnd: before.length - suffix, newEnd: after.length - suffix };
}
