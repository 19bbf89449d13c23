// Each fix is built against the file as it is, so two fixes that need
// different exports of one module each insert their own import line, at the
// same point. Applied together, those lines become one declaration, so a file
// fixed in one go reads as if it had been fixed one fix at a time (where the
// second fix adds its name to the first's import).
import type { TextEdit } from "../types";

/** The one-line named imports fixes write, alone between line breaks: the names are group 2, the module group 3. */
const FORMS = [
  { pattern: /^(\s*)import \{ ([^{}]+) \} from ("[^"]+");(\s*)$/, render: (names: string, module: string) => `import { ${names} } from ${module};` },
  { pattern: /^(\s*)const \{ ([^{}]+) \} = require\(("[^"]+")\);(\s*)$/, render: (names: string, module: string) => `const { ${names} } = require(${module});` },
];

interface ImportLine {
  /** Same file, point, form, module and surrounding line breaks: lines that can become one. */
  key: string;
  names: string[];
  render(names: string[]): string;
}

function importLine(edit: TextEdit): ImportLine | undefined {
  const { start, end } = edit.range;
  if (start.line !== end.line || start.character !== end.character) return undefined;
  for (const [form, { pattern, render }] of FORMS.entries()) {
    const m = pattern.exec(edit.newText);
    if (!m) continue;
    const [, before, names, module, after] = m;
    return {
      key: JSON.stringify([edit.file, start.line, start.character, form, before, module, after]),
      names: names.split(",").map((n) => n.trim()),
      render: (all) => `${before}${render(all.join(", "), module)}${after}`,
    };
  }
  return undefined;
}

/** Merges the import lines that insert the same module at the same point into the first of them; other edits pass unchanged. */
export function mergeImportLines(edits: readonly TextEdit[]): TextEdit[] {
  const lines = edits.map(importLine);
  const names = new Map<string, Set<string>>();
  for (const line of lines) if (line) names.set(line.key, new Set([...(names.get(line.key) ?? []), ...line.names]));
  const out: TextEdit[] = [];
  edits.forEach((edit, i) => {
    const line = lines[i];
    if (!line) out.push(edit);
    else if (names.has(line.key)) {
      out.push({ ...edit, newText: line.render([...names.get(line.key)!]) });
      // The first line of a module carries every name; the later ones are dropped.
      names.delete(line.key);
    }
  });
  return out;
}
