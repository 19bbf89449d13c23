// The event loop over time: a lane with every block marked where it happened,
// loop delay and utilisation plotted with uPlot, and the blocks listed with
// their stacks (the program's own frames first, Node's internals folded).
import uPlot from "uplot";
import type { Site, StackFrame } from "../../../../runtime/src/protocol";
import { isOpenable } from "../source-files";
import { clear, el, ms, sourceLink } from "./dom";
import type { Block, TraceModel } from "./model";
import { onThemeChange, themeColor } from "./theme";

const LIST_LIMIT = 200;
const LANE_HEIGHT = 36;

export class Timeline {
  readonly element: HTMLElement;
  readonly lane = el("canvas", { class: "block-lane", role: "img", "aria-label": "Event loop blocks" });
  private readonly chartHost = el("div", { class: "loop-chart", role: "img", "aria-label": "Loop delay and utilisation" });
  private readonly list = el("ol", { class: "block-list", "aria-label": "Blocks, most recent first" });
  private chart: uPlot | undefined;
  private drawnVersion = -1;

  constructor(
    private readonly model: TraceModel,
    private readonly openSource: (place: Site | StackFrame) => void,
  ) {
    this.element = el(
      "section",
      { class: "timeline", "aria-label": "Event loop timeline" },
      el("h3", {}, "Blocks of the event loop"),
      this.lane,
      el("h3", {}, "Loop delay and utilisation"),
      this.chartHost,
      el("h3", {}, "Blocks"),
      this.list,
    );
    new ResizeObserver(() => {
      this.chart?.setSize({ width: Math.max(300, this.lane.clientWidth), height: 180 });
      this.drawnVersion = -1;
      this.refresh();
    }).observe(this.chartHost);
    onThemeChange(() => {
      this.chart?.destroy();
      this.chart = undefined;
      this.drawnVersion = -1;
      this.refresh();
    });
  }

  refresh(): void {
    if (this.element.offsetParent === null || this.drawnVersion === this.model.version) return;
    this.drawnVersion = this.model.version;
    this.plot();
    this.drawLane();
    this.fillList();
  }

  private drawLane(): void {
    const full = this.lane.clientWidth || 600;
    const ratio = window.devicePixelRatio || 1;
    this.lane.width = full * ratio;
    this.lane.height = LANE_HEIGHT * ratio;
    const g = this.lane.getContext("2d");
    if (!g) return;
    g.scale(ratio, ratio);
    // Drawn over the chart's plotting area, so the two share one time axis on screen.
    const left = this.chart ? this.chart.bbox.left / ratio : 0;
    const width = this.chart ? this.chart.bbox.width / ratio : full;
    const span = Math.max(this.model.now, 1);
    g.fillStyle = themeColor("--vscode-editorWidget-border", "#8886");
    g.fillRect(left, LANE_HEIGHT / 2, width, 1);
    g.fillStyle = themeColor("--vscode-charts-red", "#f14c4c");
    let longest = 0;
    for (const b of this.model.blocks) {
      g.fillRect(left + (b.t / span) * width, 4, Math.max(2, (b.dur / span) * width), LANE_HEIGHT - 8);
      longest = Math.max(longest, b.dur);
    }
    this.lane.dataset.blocks = String(this.model.blocks.length);
    this.lane.setAttribute("aria-label", `${this.model.blocks.length} blocks over ${ms(span)}${longest ? `, the longest ${ms(longest)}` : ""}`);
  }

  private plot(): void {
    const samples = this.model.loop;
    const data: uPlot.AlignedData = [samples.map((s) => s.t / 1000), samples.map((s) => s.p99), samples.map((s) => s.mean), samples.map((s) => s.utilization * 100)];
    if (this.chart) {
      this.chart.setData(data);
      return;
    }
    const text = themeColor("--vscode-foreground", "#888");
    const grid = themeColor("--vscode-editorWidget-border", "#8884");
    const axis = (scale: string, unit: string, side?: 1): uPlot.Axis => ({ scale, stroke: text, size: 64, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid }, values: (_, v) => v.map((x) => `${x}${unit}`), ...(side ? { side } : {}) });
    this.chart = new uPlot(
      {
        width: Math.max(300, this.lane.clientWidth || 600),
        height: 180,
        // The same time span as the block lane above, so a block and the delay it caused line up.
        scales: { x: { time: false, range: () => [0, Math.max(this.model.now, 1) / 1000] }, ms: { auto: true }, pct: { range: [0, 100] } },
        axes: [axis("x", " s"), axis("ms", " ms"), axis("pct", "%", 1)],
        series: [
          { label: "time" },
          { label: "delay p99", scale: "ms", stroke: themeColor("--vscode-charts-orange", "#d18616"), width: 1.5 },
          { label: "delay mean", scale: "ms", stroke: themeColor("--vscode-charts-green", "#89d185"), width: 1 },
          { label: "utilisation", scale: "pct", stroke: themeColor("--vscode-charts-blue", "#3794ff"), width: 1 },
        ],
        legend: { live: false },
        cursor: { drag: { x: false, y: false } },
      },
      data,
      this.chartHost,
    );
  }

  private fillList(): void {
    clear(this.list);
    const blocks = this.model.blocks;
    for (let i = blocks.length - 1; i >= Math.max(0, blocks.length - LIST_LIMIT); i--) this.list.append(this.blockItem(blocks[i]));
    if (blocks.length === 0) this.list.append(el("li", { class: "muted" }, "No blocks recorded."));
  }

  private blockItem(block: Block): HTMLElement {
    const own = block.stack.filter((f) => isOpenable(f.file) && !f.file.includes("/node_modules/"));
    const folded = block.stack.filter((f) => !own.includes(f));
    const stack = el("ol", { class: "stack", "aria-label": "Stack, innermost first" }, ...own.map((f) => this.frame(f)));
    if (folded.length > 0) stack.append(el("li", {}, el("details", {}, el("summary", {}, `${folded.length} frames in Node and dependencies`), el("ol", { class: "stack" }, ...folded.map((f) => this.frame(f))))));
    const where = block.site ? sourceLink(block.site, this.openSource) : el("span", { class: "muted" }, "unknown line");
    // A site found from the running task, not the stack, is where that task began: say so, since the blocking line is inside it.
    const how = block.site && block.placedBy === "task" ? el("span", { class: "muted", title: "placed by the task that was running: the line where it began" }, " (its task)") : "";
    const request = block.request ? el("span", { class: "muted" }, ` · ${block.request}`) : "";
    return el("li", { class: "block" }, el("span", { class: "block-dur" }, ms(block.dur)), " at ", el("span", {}, ms(block.t)), " ", where, how, request, stack);
  }

  private frame(f: StackFrame): HTMLElement {
    return el("li", {}, el("span", { class: "fn" }, f.fn || "(anonymous)"), " ", sourceLink(f, this.openSource));
  }
}
