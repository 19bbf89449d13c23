// Element builders. Trace strings only ever reach the page as text nodes
// (`textContent`), never as markup: a task named `<img onerror=…>` is shown as
// those characters. There is no innerHTML anywhere in the webview.
import type { Site, StackFrame } from "../../../../runtime/src/protocol";
import { isOpenable } from "../source-files";

type Attrs = Record<string, string>;

export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === "class") node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children) node.append(typeof child === "string" ? document.createTextNode(child) : child);
  return node;
}

export function icon(name: string): HTMLElement {
  return el("span", { class: `codicon codicon-${name}`, "aria-hidden": "true" });
}

export function clear(node: Element): void {
  node.replaceChildren();
}

export function ms(value: number): string {
  if (value >= 10_000) return `${(value / 1000).toFixed(1)} s`;
  if (value >= 100) return `${Math.round(value)} ms`;
  if (value >= 1) return `${value.toFixed(1)} ms`;
  if (value > 0) return `${Math.round(value * 1000)} µs`;
  return "0";
}

export function fileName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf("/"), file.lastIndexOf("\\")) + 1);
}


/**
 * A link to a source line. Clicking it (or Enter on it) calls `open`, which
 * asks the extension to open the editor there; files that cannot be opened
 * show as plain text.
 */
export function sourceLink(place: Site | StackFrame, open: (place: Site | StackFrame) => void, label = `${fileName(place.file)}:${place.line}`): HTMLElement {
  const title = `${place.file}:${place.line}:${place.column}`;
  if (!isOpenable(place.file)) return el("span", { class: "site", title }, label);
  const link = el("a", { class: "site", href: "#", title: `Open ${title}`, "aria-label": `Open ${title} in the editor` }, label);
  link.addEventListener("click", (event) => {
    event.preventDefault();
    open(place);
  });
  return link;
}
