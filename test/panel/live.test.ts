/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser, hence the DOM types.
// The Task Inspector fed live, as the extension feeds it: an HTTP server runs
// under the runtime, connects to a loopback listener with a token, and its
// batches reach the webview through the extension's TraceFeed while requests
// hit it. Then the same events replayed from the trace file the run wrote.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Browser } from "playwright-core";
import { RuntimeFindings, findingMessage } from "../../client/src/panel/runtime-findings";
import { TraceFeed, replayMessages } from "../../client/src/panel/trace-feed";
import type { BatchMessage, TraceEvent } from "../../runtime/src/protocol";
import { listenForRuntimes } from "../../runtime/src/transport/editor-listener";
import { EVERY_ROOT, cleanEnv, get, run, tempFile } from "../runtime/helpers";
import { ROOT, launchChromium, openPanel, waitForEvents, type PanelPage } from "./browser";

const SERVER = path.join(ROOT, "test/panel/programs/blocking-server.js");
const SCREENSHOTS = path.join(ROOT, "out/screenshots");
const BLOCK_LINE = fs.readFileSync(SERVER, "utf8").split("\n").findIndex((l) => l.includes("// BLOCK: readFileSync")) + 1;

describe("Task Inspector fed live from an HTTP server that blocks", function () {
  this.timeout(120_000);
  let browser: Browser;
  let panel: PanelPage;
  let received: BatchMessage[];
  let traceFile: string;
  const events = () => received.flatMap((b) => b.events);
  const blocksAtLine = (list: TraceEvent[]) => list.filter((e) => e.type === "block" && e.site?.file === SERVER && e.site.line === BLOCK_LINE);

  before(async function () {
    this.timeout(600_000);
    browser = await launchChromium();
    panel = await openPanel(browser, { width: 1100, height: 720 });
    await panel.send({ type: "session", mode: "live", label: "blocking-server.js" });
    const feed = new TraceFeed((message) => panel.send(message));
    received = [];
    const listener = await listenForRuntimes({
      onBatch: (batch) => {
        received.push(batch);
        feed.push(batch);
      },
    });
    traceFile = tempFile("server.alens");
    try {
      const result = await run(["--import", "async-lens/register", SERVER], cleanEnv({ ...listener.env, ...EVERY_ROOT, ASYNC_LENS_TRACE: traceFile }), async (child) => {
        const [, port] = await child.waitForStdout(/listening (\d+)/);
        // Requests in rounds until the panel has two blocks at the line and two loop samples to plot.
        for (let round = 0; blocksAtLine(events()).length < 2 || events().filter((e) => e.type === "loop").length < 2; round++) {
          if (round > 200) throw new Error("no blocks or loop samples after 200 rounds of requests");
          await Promise.all([...Array.from({ length: 8 }, (_, i) => get(Number(port), `/item/${i}`)), get(Number(port), "/report")]);
        }
        await get(Number(port), "/quit");
      });
      assert.equal(result.code, 0, result.stderr);
    } finally {
      await listener.close();
    }
    await feed.flush();
    await waitForEvents(panel.page, events().length);
  });

  after(async () => {
    if (panel) assert.deepEqual(await panel.incidents(), []);
    await browser?.close();
  });

  it("lists the requests as tasks", async () => {
    await panel.page.fill(".filter", "get /report");
    await panel.page.waitForFunction(() => Number(document.querySelector(".grid")?.getAttribute("aria-rowcount")) > 1);
    const names = await panel.page.$$eval(".grid-body .grid-row:not([hidden]) .col-name", (cells) => cells.map((c) => c.textContent));
    assert.ok(names.length > 0 && names.every((n) => n === "GET /report"), JSON.stringify(names));
    await panel.page.fill(".filter", "");
  });

  it("marks the blocks on the timeline at the readFileSync line", async () => {
    await panel.page.click("#tab-timeline");
    await panel.page.waitForSelector(".block-list .block");
    const expected = blocksAtLine(events()).length;
    const links = await panel.page.$$eval(".block-list .block > a.site", (as) => as.map((a) => a.textContent));
    assert.equal(links.filter((l) => l === `blocking-server.js:${BLOCK_LINE}`).length, expected);
    assert.ok(Number(await panel.page.getAttribute(".block-lane", "data-blocks")) >= expected);
    // Each block names the request whose handler ran it, as the runtime recorded it.
    // Only the blocks at the line: a request's handler can also block elsewhere (a GC pause, the response's write).
    const items = await panel.page.$$eval(".block-list .block", (lis) => lis.map((li) => ({ site: li.querySelector(":scope > a.site")?.textContent, text: li.textContent ?? "" })));
    const withRequest = blocksAtLine(events()).filter((e) => e.type === "block" && e.request === "GET /report").length;
    assert.ok(withRequest > 0, "the runtime recorded no request for the blocks");
    assert.equal(items.filter((i) => i.site === `blocking-server.js:${BLOCK_LINE}` && i.text.includes(" · GET /report")).length, withRequest);
    await panel.page.click("#tab-tasks");
  });

  it("shows the mutex with its acquisitions", async () => {
    await panel.page.click("#tab-locks");
    const acquired = events().filter((e) => e.type === "lock" && e.op === "acquire").length;
    assert.ok(acquired > 0, "no lock acquisitions recorded");
    const row = await panel.page.$$eval(".list-table tbody tr td", (cells) => cells.map((c) => c.textContent));
    assert.equal(row[1], "async-mutex");
    assert.equal(row[4], String(acquired));
    await panel.page.click("#tab-tasks");
  });

  for (const theme of ["light", "dark"] as const) {
    it(`looks right in the ${theme} theme (screenshots in out/screenshots)`, async () => {
      await panel.setTheme(theme);
      await panel.page.click("#tab-tasks");
      // The busiest task first, opened: the one that ran the blocking handler.
      while ((await panel.page.getAttribute(".grid-head .cell.col-busy", "aria-sort")) !== "descending") await panel.page.click(".grid-head .col-busy button");
      await panel.page.focus(".grid");
      await panel.page.keyboard.press("Home");
      await panel.page.keyboard.press("Enter");
      await panel.page.waitForSelector(".task-view:not([hidden])");
      fs.mkdirSync(SCREENSHOTS, { recursive: true });
      await panel.page.screenshot({ path: path.join(SCREENSHOTS, `server-tasks-${theme}.png`) });
      await panel.page.click("#tab-timeline");
      await panel.page.waitForSelector(".loop-chart canvas");
      await panel.page.screenshot({ path: path.join(SCREENSHOTS, `server-timeline-${theme}.png`) });
      await panel.page.click("#tab-tasks");
    });
  }

  it("sums the blocks at the readFileSync line into one finding for the editor", () => {
    const findings = new RuntimeFindings();
    for (const batch of received) findings.add(batch);
    const blocks = blocksAtLine(events()).map((e) => (e.type === "block" ? e.dur : 0));
    const atLine = findings.list().filter((f) => f.file === SERVER && f.line === BLOCK_LINE);
    assert.equal(atLine.length, 1, JSON.stringify(findings.list()));
    const [finding] = atLine;
    assert.deepEqual([finding.check, finding.count, finding.longestMs, finding.totalMs], ["block", blocks.length, Math.max(...blocks), blocks.reduce((a, b) => a + b, 0)]);
    assert.equal(
      findingMessage(finding),
      `Blocked the event loop ${Math.round(Math.max(...blocks))} ms, ${blocks.length} times, in the last run (${Math.round(blocks.reduce((a, b) => a + b, 0))} ms in all).`,
    );
    findings.clear();
    assert.deepEqual(findings.list(), []);
  });

  it("replays the trace file the run wrote with the same blocks", async () => {
    const replay = await openPanel(browser);
    try {
      const messages = replayMessages(fs.readFileSync(traceFile), "server.alens");
      for (const message of messages) await replay.send(message);
      const total = messages.reduce((n, m) => n + (m.type === "batches" ? m.batches.reduce((k, b) => k + b.events.length, 0) : 0), 0);
      await waitForEvents(replay.page, total);
      await replay.page.click("#tab-timeline");
      await replay.page.waitForSelector(".block-list .block");
      const links = await replay.page.$$eval(".block-list .block > a.site", (as) => as.map((a) => a.textContent));
      assert.equal(links.filter((l) => l === `blocking-server.js:${BLOCK_LINE}`).length, blocksAtLine(events()).length);
      assert.equal(await replay.page.isVisible(".replay .slider"), true);
      assert.deepEqual(await replay.incidents(), []);
    } finally {
      await replay.page.close();
    }
  });
});
