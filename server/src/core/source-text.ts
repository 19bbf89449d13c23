// Source files are read as UTF-8. A file that is not valid UTF-8 (Latin-1,
// UTF-16, stray bytes in a string) is still analysed, its invalid bytes read
// as U+FFFD, but its text no longer encodes back to the bytes on disk: writing
// fixes into it would replace every invalid byte in the file, not only the
// edited ranges.
import { isUtf8 } from "node:buffer";

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence, if any. */
export function firstInvalidUtf8Byte(bytes: Uint8Array): number | undefined {
  if (isUtf8(bytes)) return undefined;
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    // The second byte's range also rules out overlong forms, surrogates and code points past U+10FFFF.
    const low = b === 0xe0 ? 0xa0 : b === 0xf0 ? 0x90 : 0x80;
    const high = b === 0xed ? 0x9f : b === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k < length; k++) {
      const c = bytes[i + k];
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return i;
    }
    i += length;
  }
  return undefined;
}

/** "not valid UTF-8 (byte 0xE9 on line 3)", or undefined for a valid file. */
export function invalidUtf8Description(bytes: Uint8Array): string | undefined {
  const at = firstInvalidUtf8Byte(bytes);
  if (at === undefined) return undefined;
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
  return `not valid UTF-8 (byte 0x${bytes[at].toString(16).toUpperCase().padStart(2, "0")} on line ${line})`;
}

/** Whether `text` encodes to exactly `bytes`: only then can edits to the text be written without changing other bytes. */
export function encodesTo(text: string, bytes: Uint8Array): boolean {
  return Buffer.from(text, "utf8").equals(bytes);
}
