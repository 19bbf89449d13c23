// Tokenises text with the grammars package.json contributes, through the same
// TextMate engine and Oniguruma build VS Code uses. TypeScript and JavaScript
// come from tm-grammars, which ships VS Code's own grammars for them.
import * as fs from "node:fs";
import * as path from "node:path";
import * as oniguruma from "vscode-oniguruma";
import * as textmate from "vscode-textmate";

const ROOT = path.resolve(__dirname, "../../..");
const HOST_GRAMMARS: Record<string, string> = {
  "source.ts": "typescript.json",
  "source.tsx": "tsx.json",
  "source.js": "javascript.json",
  "source.js.jsx": "jsx.json",
};

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

export const contributedGrammars: GrammarContribution[] = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"))
  .contributes.grammars;

let registry: Promise<textmate.Registry> | undefined;

function loadRegistry(): Promise<textmate.Registry> {
  registry ??= (async () => {
    const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
    await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
    const onigLib = Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    });
    const grammarFile = (scopeName: string): string | undefined => {
      const ours = contributedGrammars.find((g) => g.scopeName === scopeName);
      if (ours) return path.join(ROOT, ours.path);
      const host = HOST_GRAMMARS[scopeName];
      return host && require.resolve(`tm-grammars/grammars/${host}`);
    };
    return new textmate.Registry({
      onigLib,
      loadGrammar: async (scopeName) => {
        const file = grammarFile(scopeName);
        return file ? textmate.parseRawGrammar(fs.readFileSync(file, "utf8"), file) : null;
      },
      getInjections: (scopeName) =>
        contributedGrammars.filter((g) => g.injectTo?.includes(scopeName)).map((g) => g.scopeName),
    });
  })();
  return registry;
}

export interface Token {
  line: number;
  text: string;
  scopes: string[];
}

export async function tokenize(scopeName: string, source: string): Promise<Token[]> {
  const grammar = await (await loadRegistry()).loadGrammar(scopeName);
  if (!grammar) throw new Error(`no grammar for ${scopeName}`);
  const tokens: Token[] = [];
  let state = textmate.INITIAL;
  source.split("\n").forEach((lineText, line) => {
    const result = grammar.tokenizeLine(lineText, state);
    for (const token of result.tokens) {
      tokens.push({ line, text: lineText.slice(token.startIndex, token.endIndex), scopes: token.scopes });
    }
    state = result.ruleStack;
  });
  return tokens;
}

/** The scopes of the one token whose text is exactly `text` (on `line`, if given); fails when there is none or several. */
export function scopesOf(tokens: Token[], text: string, line?: number): string[] {
  const found = tokens.filter((t) => t.text === text && (line === undefined || t.line === line));
  if (found.length !== 1) {
    throw new Error(`expected one token "${text}", found ${found.length} in:\n${tokens.map((t) => `${t.line}: ${JSON.stringify(t.text)} ${t.scopes.join(" ")}`).join("\n")}`);
  }
  return found[0].scopes;
}
