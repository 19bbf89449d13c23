// The rule registry: one line per rule, each rule in its own file named after its id.
import type { Rule } from "../rule";

export const RULES: readonly Rule[] = [];
