/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, hence the DOM types.
// The Task Inspector webview in headless Chromium, fed with a trace recorded
// from a real program run under the runtime: what a user sees and what the
// webview asks the extension to do.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type { Browser } from "playwright-core";
import type { TaskEvent, TraceEvent } from "../../runtime/src/protocol";
import { readTraceFile } from "../../runtime/src/transport/trace-file";
import { EVERY_ROOT, cleanEnv, run, tempFile } from "../runtime/helpers";
import { ROOT, launchChromium, openPanel, waitForEvents, type PanelPage } from "./browser";

const PROGRAM = path.join(ROOT, "test/panel/programs/inspected.js");
const HOSTILE = "<img src=x onerror=alert(1)>";
const SCREENSHOTS = path.join(ROOT, "out/screenshots");

function lineOf(marker: string): number {
  return fs.readFileSync(PROGRAM, "utf8").split("\n").findIndex((l) => l.includes(marker)) + 1;
}

describe("Task Inspector webview in Chromium", function () {
  this.timeout(60_000);
  let browser: Browser;
  let panel: PanelPage;
  let batches: ReturnType<typeof readTraceFile>["messages"];
  let all: TraceEvent[];
  let tasks: TaskEvent[];

  before(async function () {
    this.timeout(600_000);
    const traceFile = tempFile("inspected.alens");
    const result = await run(["--import", "async-lens/register", PROGRAM], cleanEnv({ ...EVERY_ROOT, ASYNC_LENS_TRACE: traceFile, ASYNC_LENS_RESOURCES: "1" }));
    assert.equal(result.code, 0, result.stderr);
    batches = readTraceFile(traceFile).messages;
    all = batches.flatMap((b) => b.events);
    tasks = all.filter((e): e is TaskEvent => e.type === "task");
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    panel = await openPanel(browser);
    await panel.send({ type: "session", mode: "replay", label: "inspected.js" });
    await panel.send({ type: "batches", batches });
    await waitForEvents(panel.page, all.length);
  });

  afterEach(async () => {
    assert.deepEqual(await panel.incidents(), []);
    await panel.page.close();
  });

  const rowCount = async () => Number(await panel.page.getAttribute(".grid", "aria-rowcount")) - 1;
  const visibleColumn = (column: string) => panel.page.$$eval(`.grid-body .grid-row:not([hidden]) .col-${column}`, (cells) => cells.map((c) => c.textContent ?? ""));

  it("lists every recorded task, one row each", async () => {
    assert.ok(tasks.length > 10, `only ${tasks.length} tasks recorded`);
    await panel.page.waitForFunction((n) => document.querySelector(".grid")?.getAttribute("aria-rowcount") === String(n + 1), tasks.length);
    assert.equal(await rowCount(), tasks.length);
    assert.deepEqual((await visibleColumn("id")).slice(0, 5), tasks.slice(0, 5).map((t) => String(t.id)));
  });

  it("sorts by busy time, longest first, and by name", async () => {
    const busy = new Map<number, number>();
    for (const e of all) if (e.type === "run") busy.set(e.id, (busy.get(e.id) ?? 0) + e.dur);
    // Ties keep creation order, as the table's sort is stable.
    const expected = tasks.map((t) => t.id).sort((a, b) => (busy.get(b) ?? 0) - (busy.get(a) ?? 0) || a - b);
    await panel.page.click(".grid-head .col-busy button");
    assert.equal(await panel.page.getAttribute(".grid-head .cell.col-busy", "aria-sort"), "descending");
    const shown = await visibleColumn("id");
    assert.deepEqual(shown, expected.slice(0, shown.length).map(String));

    await panel.page.click(".grid-head .col-name button");
    assert.equal(await panel.page.getAttribute(".grid-head .cell.col-name", "aria-sort"), "ascending");
    const names = await visibleColumn("name");
    assert.deepEqual(names, [...names].sort());
  });

  it("filters by creation site and shows a task named with markup as text", async () => {
    const stepLine = lineOf("// STEP");
    const atStep = tasks.filter((t) => t.site?.file === PROGRAM && t.site.line === stepLine);
    assert.ok(atStep.length > 0, "no task recorded at the STEP line");
    await panel.page.fill(".filter", `inspected.js:${stepLine} `);
    assert.equal(await rowCount(), atStep.length);

    await panel.page.fill(".filter", "onerror");
    assert.equal(await rowCount(), 1);
    assert.deepEqual(await visibleColumn("name"), [HOSTILE]);
    assert.equal(await panel.page.locator("img").count(), 0);
  });

  it("filters to a site the extension names (Show in Task Inspector)", async () => {
    const stepLine = lineOf("// STEP");
    await panel.send({ type: "filter-site", file: PROGRAM, line: stepLine });
    await panel.page.waitForSelector(".chip:not([hidden])");
    assert.equal(await rowCount(), tasks.filter((t) => t.site?.file === PROGRAM && t.site.line === stepLine).length);
    assert.match((await panel.page.textContent(".chip")) ?? "", new RegExp(`inspected\\.js:${stepLine}`));
  });

  it("filters to the tasks that blocked at a line, whether the file is named by path or by URL", async () => {
    const blockLine = lineOf("// BLOCK: busy");
    const atLine = (p: { file: string; line: number } | undefined) => p?.file === PROGRAM && p.line === blockLine;
    const ids = new Set(tasks.map((t) => t.id));
    const expected = new Set([...tasks.filter((t) => atLine(t.site)).map((t) => t.id), ...all.flatMap((e) => (e.type === "block" && (atLine(e.site) || e.stack.some(atLine)) && ids.has(e.task) ? [e.task] : []))]);
    assert.ok(expected.size > 0, "no task ran the block");
    await panel.send({ type: "filter-site", file: pathToFileURL(PROGRAM).href, line: blockLine });
    await panel.page.waitForFunction((n) => document.querySelector(".grid")?.getAttribute("aria-rowcount") === String(n + 1), expected.size);
    assert.deepEqual(new Set((await visibleColumn("id")).map(Number)), expected);
  });

  it("opens a task from the keyboard, shows its children, and asks the editor to open its creation site", async () => {
    const parentIds = new Set(tasks.map((t) => t.parent));
    const parent = tasks.find((t) => parentIds.has(t.id) && t.site?.file === PROGRAM)!;
    assert.ok(parent, "no recorded task with children and a site in the program");
    const children = tasks.filter((t) => t.parent === parent.id).map((t) => `#${t.id}`);

    await panel.page.fill(".filter", `#${parent.id} `);
    await panel.page.focus(".grid");
    await panel.page.keyboard.press("Home");
    await panel.page.keyboard.press("Enter");
    await panel.page.waitForSelector(".task-view:not([hidden])");
    assert.match((await panel.page.textContent(".task-title")) ?? "", new RegExp(`^#${parent.id} `));
    const shownChildren = await panel.page.$$eval(".tree .children .link-button", (bs) => bs.map((b) => (b.textContent ?? "").split(" ")[0]));
    assert.deepEqual(shownChildren, children);

    await panel.page.click(".facts a.site");
    const posted = await panel.posted();
    assert.deepEqual(posted.filter((m) => m.type === "open-source"), [{ type: "open-source", file: PROGRAM, line: parent.site!.line, column: parent.site!.column }]);
  });

  it("draws the block on the timeline at its time, with its line as a link", async () => {
    const blockLine = lineOf("// BLOCK: busy");
    const block = all.find((e) => e.type === "block" && e.site?.file === PROGRAM && e.site.line === blockLine);
    assert.ok(block && block.type === "block", "the program's block was not recorded");
    await panel.page.click("#tab-timeline");
    await panel.page.waitForSelector(".block-list .block");
    await panel.page.waitForSelector(".loop-chart .u-over");
    const now = Math.max(...all.map((e) => e.t));
    // A time no block covers: the middle of the widest gap between blocks.
    const spans = all.flatMap((e) => (e.type === "block" ? [[e.t, e.t + e.dur]] : [])).sort((a, b) => a[0] - b[0]);
    let clear = { at: 0, width: 0 };
    let from = 0;
    for (const [start, end] of [...spans, [now, now]]) {
      if (start - from > clear.width) clear = { at: (from + start) / 2, width: start - from };
      from = Math.max(from, end);
    }
    const red = await panel.page.evaluate(
      ({ start, dur, span, gap }) => {
        const canvas = document.querySelector<HTMLCanvasElement>(".block-lane")!;
        const g = canvas.getContext("2d")!;
        const ratio = canvas.width / canvas.clientWidth;
        // The lane spans the chart's plotting area (uPlot's overlay), its time axis.
        const plot = document.querySelector(".loop-chart .u-over")!.getBoundingClientRect();
        const left = plot.left - canvas.getBoundingClientRect().left;
        const pixel = (t: number) => [...g.getImageData(Math.floor((left + (t / span) * plot.width) * ratio), Math.floor(canvas.height / 4), 1, 1).data];
        return { inside: pixel(start + dur / 2), before: pixel(gap) };
      },
      { start: block.t, dur: block.dur, span: now, gap: clear.at },
    );
    // Dark theme's charts.red is #f14c4c.
    assert.deepEqual(red.inside, [0xf1, 0x4c, 0x4c, 255]);
    assert.notDeepEqual(red.before, [0xf1, 0x4c, 0x4c, 255]);
    const links = await panel.page.$$eval(".block-list .block > a.site", (as) => as.map((a) => a.textContent));
    assert.ok(links.includes(`inspected.js:${blockLine}`), JSON.stringify(links));
    await panel.page.click(`.block-list .block > a.site >> text=inspected.js:${blockLine}`);
    const posted = await panel.posted();
    assert.deepEqual(posted.filter((m) => m.type === "open-source").map((m) => m.type === "open-source" && m.line), [blockLine]);
  });

  it("replays up to a point in time from the slider", async () => {
    const blockLine = lineOf("// BLOCK: busy");
    const block = all.find((e) => e.type === "block" && e.site?.line === blockLine)!;
    const before = tasks.filter((t) => t.t <= block.t).length;
    await panel.page.$eval(
      ".slider",
      (s, t) => {
        (s as HTMLInputElement).value = String(t);
        s.dispatchEvent(new Event("input"));
      },
      block.t,
    );
    await panel.page.waitForFunction((n) => document.querySelector(".grid")?.getAttribute("aria-rowcount") === String(n + 1), before);
    assert.ok(before < tasks.length);
  });

  it("offers no process picker for a program of one process", async () => {
    assert.equal(await panel.page.isHidden(".process-picker"), true);
  });

  it("refuses malformed messages and counts them", async () => {
    await panel.page.evaluate(() => window.postMessage({ type: "batches", batches: [{ v: 1, type: "batch", process: { pid: 1, threadId: 0 }, seq: 0, events: [{ type: "task", t: 0 }] }] }, "*"));
    await panel.page.waitForFunction(() => /rejected 1/.test(document.querySelector(".counter-skipped")?.textContent ?? ""));
    assert.equal(await rowCount(), tasks.length);
  });

  for (const theme of ["light", "dark"] as const) {
    it(`renders in the ${theme} theme (screenshots kept in out/screenshots)`, async () => {
      await panel.setTheme(theme);
      const parentIds = new Set(tasks.map((t) => t.parent));
      const parent = tasks.find((t) => parentIds.has(t.id) && t.site?.file === PROGRAM)!;
      await panel.page.click(".grid-head .col-busy button");
      await panel.page.fill(".filter", `#${parent.id}`);
      await panel.page.focus(".grid");
      await panel.page.keyboard.press("Home");
      await panel.page.keyboard.press("Enter");
      await panel.page.waitForSelector(".task-view:not([hidden])");
      await panel.page.fill(".filter", "");
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await panel.page.screenshot({ path: path.join(SCREENSHOTS, `panel-tasks-${theme}.png`) });
      await panel.page.click("#tab-timeline");
      await panel.page.waitForSelector(".loop-chart canvas");
      await panel.page.screenshot({ path: path.join(SCREENSHOTS, `panel-timeline-${theme}.png`) });
      const background = await panel.page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      assert.equal(background, theme === "light" ? "rgb(248, 248, 248)" : "rgb(24, 24, 24)");
    });
  }
});

describe("Task Inspector webview: a program with a child process and a worker thread", function () {
  this.timeout(60_000);
  let browser: Browser;
  let batches: ReturnType<typeof readTraceFile>["messages"];

  before(async function () {
    this.timeout(600_000);
    const traceFile = tempFile("three-ways.alens");
    const result = await run(["--import", "async-lens/register", path.join(ROOT, "test/panel/programs/three-ways.js")], cleanEnv({ ...EVERY_ROOT, ASYNC_LENS_TRACE: traceFile }));
    assert.equal(result.code, 0, result.stderr);
    batches = readTraceFile(traceFile).messages;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
  });

  it("picks one process or thread at a time, and all of them again", async () => {
    const panel = await openPanel(browser);
    await panel.send({ type: "session", mode: "replay", label: "three-ways.js" });
    await panel.send({ type: "batches", batches });
    await waitForEvents(panel.page, batches.reduce((n, b) => n + b.events.length, 0));
    const tasksOf = new Map<string, number>();
    for (const b of batches) {
      const key = `${b.process.pid}:${b.process.threadId}`;
      tasksOf.set(key, (tasksOf.get(key) ?? 0) + b.events.filter((e) => e.type === "task").length);
    }
    const [main, ...others] = [...tasksOf.keys()];
    const mainPid = main.split(":")[0];
    const thread = others.find((k) => k.startsWith(`${mainPid}:`) && !k.endsWith(":0"))!;
    const child = others.find((k) => !k.startsWith(`${mainPid}:`))!;
    assert.ok(thread && child, `processes in the trace: ${[...tasksOf.keys()].join(", ")}`);
    const total = [...tasksOf.values()].reduce((a, b) => a + b, 0);
    const rowCount = async () => Number(await panel.page.getAttribute(".grid", "aria-rowcount")) - 1;
    const pick = async (label: string, rows: number) => {
      await panel.page.selectOption(".process-picker", { label });
      await panel.page.waitForFunction((n) => document.querySelector(".grid")?.getAttribute("aria-rowcount") === String(n + 1), rows);
    };

    await panel.page.waitForSelector(".process-picker:not([hidden])");
    const labels = await panel.page.$$eval(".process-picker option", (os) => os.map((o) => o.textContent ?? ""));
    const [childPid] = child.split(":");
    const threadId = thread.split(":")[1];
    assert.deepEqual(labels, ["All processes", `pid ${mainPid} · three-ways.js`, `thread ${threadId} of pid ${mainPid}`, `pid ${childPid} · inspected.js`]);
    // The table re-renders on a frame after the model has taken the events: wait for it, then say what it shows.
    await panel.page.waitForFunction((n) => document.querySelector(".grid")?.getAttribute("aria-rowcount") === String(n + 1), total, { timeout: 10_000 }).catch(() => undefined);
    assert.equal(await rowCount(), total);

    await pick(`pid ${childPid} · inspected.js`, tasksOf.get(child)!);
    assert.ok([thread, child].every((k) => tasksOf.get(k)! > 0), JSON.stringify([...tasksOf]));
    await pick(`thread ${threadId} of pid ${mainPid}`, tasksOf.get(thread)!);
    await pick(`pid ${mainPid} · three-ways.js`, tasksOf.get(main)!);
    await pick("All processes", total);
    assert.deepEqual(await panel.incidents(), []);
    await panel.page.close();
  });
});
