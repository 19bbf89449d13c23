/// <reference lib="dom" />
// Functions passed to evaluate run in the browser, hence the DOM types.
// The launcher's side of the Task Inspector's end-to-end test: at its
// checkpoint, find the panel's page among the workbench's frames (a webview is
// an iframe inside an iframe), read what it shows, and take a screenshot.
import * as fs from "node:fs";
import * as path from "node:path";
import type { Frame, Page } from "playwright-core";

export async function lookAtTaskInspector(page: Page, screenshot: string): Promise<{ reportRows: number; blockLinks: string[] }> {
  const panel = await findPanel(page);
  await panel.fill(".filter", "get /report");
  await panel.waitForFunction(() => Number(document.querySelector(".grid")?.getAttribute("aria-rowcount")) > 1, undefined, { timeout: 20_000 });
  const reportRows = Number(await panel.getAttribute(".grid", "aria-rowcount")) - 1;
  await panel.fill(".filter", "");
  await panel.click("#tab-timeline");
  await panel.waitForSelector(".block-list .block", { timeout: 20_000 });
  const blockLinks = await panel.$$eval(".block-list .block > a.site", (as) => as.map((a) => a.textContent ?? ""));
  fs.mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot });
  return { reportRows, blockLinks };
}

/** What the panel shows once its session is the one named `label` (a replayed file, an attached process), not the run before it. */
export async function lookAtSession(page: Page, label: string, screenshot: string): Promise<{ reportRows: number; blockLinks: string[] }> {
  const panel = await findPanel(page);
  await panel.waitForFunction((name) => document.querySelector(".status")?.textContent?.startsWith(name), label, { timeout: 20_000 });
  // A site filter set before ("Show in Task Inspector") outlives the session, as the user left it: clear it as they would.
  const clearSite = await panel.$(".chip:not([hidden]) button");
  if (clearSite) {
    await clearSite.click();
    await panel.waitForSelector(".chip", { state: "hidden", timeout: 20_000 });
  }
  return lookAtTaskInspector(page, screenshot);
}

/** The site filter "Show in Task Inspector" set, as the panel's chip reads, and the rows it leaves (once there are any). */
export async function lookAtSiteFilter(page: Page): Promise<{ chip: string; rows: number }> {
  const panel = await findPanel(page);
  await panel.waitForSelector(".chip:not([hidden])", { timeout: 20_000 });
  await panel.waitForFunction(() => Number(document.querySelector(".grid")?.getAttribute("aria-rowcount")) > 1, undefined, { timeout: 20_000 });
  return { chip: (await panel.textContent(".chip")) ?? "", rows: Number(await panel.getAttribute(".grid", "aria-rowcount")) - 1 };
}

async function findPanel(page: Page): Promise<Frame> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    for (const frame of page.frames()) if (await frame.$(".grid").catch(() => null)) return frame;
    if (Date.now() > deadline) throw new Error("the Task Inspector's page is not among the workbench's frames");
    await page.waitForEvent("frameattached", { timeout: 5_000 }).catch(() => undefined);
  }
}
