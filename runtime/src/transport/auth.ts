import { randomBytes, timingSafeEqual } from "node:crypto";

/** 128 random bits, hex. */
export function newToken(): string {
  return randomBytes(16).toString("hex");
}

export function tokensMatch(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** How long a peer has to send its hello before it is dropped. */
export const HELLO_TIMEOUT_MS = 2000;
