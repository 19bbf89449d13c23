/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, hence the DOM types.
// The Task Inspector webview in headless Chromium (Debian's, driven by
// playwright-core), served exactly as VS Code serves it: the page from
// panelHtml() with its CSP, the bundle from dist/webview, and a stand-in for
// acquireVsCodeApi that records what the webview posts to the extension.
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { chromium, type Browser, type Page } from "playwright-core";
import { WEBVIEW_FILES, panelHtml } from "../../client/src/panel/html";
import type { FromWebview, ToWebview } from "../../client/src/panel/messages";
import { THEMES, backgroundOf, type ThemeName } from "./theme";

export const ROOT = path.resolve(__dirname, "../../..");
const BUNDLE = path.join(ROOT, "dist/webview");
const CHROMIUM = "/usr/bin/chromium";
const ORIGIN = "https://panel.async-lens.test";

/** Installs Debian's Chromium on first use (CI machines start without it). */
export function ensureChromium(): string {
  if (fs.existsSync(CHROMIUM)) return CHROMIUM;
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  execFileSync("apt-get", ["update"], { stdio: "inherit", env });
  execFileSync("apt-get", ["install", "-y", "--no-install-recommends", "chromium"], { stdio: "inherit", env });
  return CHROMIUM;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--js-flags=--expose-gc"],
  });
}

const contentTypes: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".ttf": "font/ttf", ".map": "application/json" };

export interface PanelPage {
  page: Page;
  /** Messages the webview posted to the extension, in order. */
  posted(): Promise<FromWebview[]>;
  send(message: ToWebview): Promise<void>;
  setTheme(theme: ThemeName): Promise<void>;
  /** Content-Security-Policy violations and dialogs (an injected alert() would show here). */
  incidents(): Promise<string[]>;
}

export async function openPanel(browser: Browser, viewport = { width: 1000, height: 720 }): Promise<PanelPage> {
  const page = await browser.newPage({ viewport });
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  await page.route(`${ORIGIN}/**`, (route) => {
    const name = new URL(route.request().url()).pathname.slice(1);
    if (name === "") {
      const html = panelHtml({ cspSource: ORIGIN, scriptUri: `${ORIGIN}/${WEBVIEW_FILES.script}`, styleUri: `${ORIGIN}/${WEBVIEW_FILES.style}` });
      return route.fulfill({ contentType: "text/html", body: html });
    }
    const file = path.join(BUNDLE, path.basename(name));
    if (!fs.existsSync(file)) return route.fulfill({ status: 404, body: "" });
    return route.fulfill({ contentType: contentTypes[path.extname(file)] ?? "application/octet-stream", body: fs.readFileSync(file) });
  });
  await page.addInitScript(() => {
    const w = window as unknown as { posted: unknown[]; incidents: string[]; acquireVsCodeApi(): unknown };
    w.posted = [];
    w.incidents = [];
    w.acquireVsCodeApi = () => ({ postMessage: (m: unknown) => w.posted.push(m), getState: () => undefined, setState: () => undefined });
    document.addEventListener("securitypolicyviolation", (e) => w.incidents.push(`csp: ${e.violatedDirective} ${e.blockedURI}`));
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => (window as unknown as { posted: { type: string }[] }).posted.some((m) => m.type === "ready"));
  const panel: PanelPage = {
    page,
    posted: () => page.evaluate(() => (window as unknown as { posted: FromWebview[] }).posted),
    send: (message) => page.evaluate((m) => window.postMessage(m, "*"), message),
    setTheme: (theme) =>
      page.evaluate(
        ({ vars, bodyClass, background }) => {
          for (const [name, value] of Object.entries(vars)) document.documentElement.style.setProperty(name, value);
          document.body.style.backgroundColor = background;
          document.body.className = bodyClass;
        },
        { vars: THEMES[theme].vars as Record<string, string>, bodyClass: THEMES[theme].bodyClass, background: backgroundOf(theme) },
      ),
    incidents: async () => [...dialogs, ...(await page.evaluate(() => (window as unknown as { incidents: string[] }).incidents))],
  };
  await panel.setTheme("dark");
  return panel;
}

/** Waits until the webview has taken in `events` events, read from its own counter. */
export async function waitForEvents(page: Page, events: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction((n) => Number(document.querySelector(".counter-events .counter-value")?.textContent?.replace(/\D/g, "")) >= n, events, { timeout, polling: 50 });
}
