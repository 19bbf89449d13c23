// Locks (holders, waiters, hold and wait times), queues (depth over time) and
// warnings (counted per check and place), each a small table redrawn only when
// the model changed and the tab is in sight.
import type { Site, StackFrame } from "../../../../runtime/src/protocol";
import { clear, el, ms, sourceLink } from "./dom";
import type { Queue, TraceModel } from "./model";
import { themeColor } from "./theme";

const ROW_LIMIT = 500;

abstract class ListView {
  readonly element: HTMLElement;
  protected readonly body = el("tbody");
  private drawnVersion = -1;

  constructor(
    protected readonly model: TraceModel,
    protected readonly openSource: (place: Site | StackFrame) => void,
    label: string,
    columns: string[],
  ) {
    const head = el("tr", {}, ...columns.map((c) => el("th", { scope: "col" }, c)));
    this.element = el("section", { "aria-label": label }, el("table", { class: "list-table", "aria-label": label }, el("thead", {}, head), this.body));
  }

  refresh(): void {
    if (this.element.offsetParent === null || this.drawnVersion === this.model.version) return;
    this.drawnVersion = this.model.version;
    clear(this.body);
    this.fill();
    if (this.body.childElementCount === 0) this.body.append(el("tr", {}, el("td", { class: "muted", colspan: "10" }, "None recorded.")));
  }

  protected abstract fill(): void;

  protected site(site: Site | undefined): HTMLElement {
    return el("td", {}, site ? sourceLink(site, this.openSource) : "");
  }
}

export class LocksView extends ListView {
  constructor(model: TraceModel, openSource: (place: Site | StackFrame) => void) {
    super(model, openSource, "Locks", ["Lock", "Source", "Holders", "Waiters", "Acquired", "Wait mean", "Wait max", "Hold mean", "Hold max", "Site"]);
  }

  protected fill(): void {
    let n = 0;
    for (const lock of this.model.locks.values()) {
      if (n++ >= ROW_LIMIT) break;
      const holders = [...lock.holders.values()].map((h) => `#${h.task}`).join(" ");
      const waiters = [...lock.waiters.values()].map((h) => `#${h.task}`).join(" ");
      const released = Math.max(1, lock.acquisitions - lock.holders.size);
      this.body.append(
        el(
          "tr",
          {},
          el("td", {}, lock.name),
          el("td", {}, lock.source),
          el("td", {}, holders),
          el("td", {}, waiters),
          el("td", { class: "num" }, String(lock.acquisitions)),
          el("td", { class: "num" }, ms(lock.waitTotal / Math.max(1, lock.acquisitions))),
          el("td", { class: "num" }, ms(lock.waitMax)),
          el("td", { class: "num" }, ms(lock.holdTotal / released)),
          el("td", { class: "num" }, ms(lock.holdMax)),
          this.site(lock.site),
        ),
      );
    }
  }
}

export class QueuesView extends ListView {
  constructor(model: TraceModel, openSource: (place: Site | StackFrame) => void) {
    super(model, openSource, "Queues", ["Queue", "Source", "Depth", "Max", "Capacity", "Active", "Depth over time"]);
  }

  protected fill(): void {
    let n = 0;
    for (const queue of this.model.queues.values()) {
      if (n++ >= ROW_LIMIT) break;
      this.body.append(
        el(
          "tr",
          {},
          el("td", {}, queue.name),
          el("td", {}, queue.source),
          el("td", { class: "num" }, String(queue.depth)),
          el("td", { class: "num" }, String(queue.maxDepth)),
          el("td", { class: "num" }, queue.capacity === undefined ? "" : String(queue.capacity)),
          el("td", { class: "num" }, queue.active === undefined ? "" : String(queue.active)),
          el("td", {}, this.sparkline(queue)),
        ),
      );
    }
  }

  private sparkline(queue: Queue): HTMLCanvasElement {
    const width = 160;
    const height = 24;
    const canvas = el("canvas", { class: "sparkline", role: "img", "aria-label": `Depth of ${queue.name} over time, up to ${queue.maxDepth}` });
    canvas.width = width;
    canvas.height = height;
    const g = canvas.getContext("2d");
    const s = queue.samples;
    if (!g || s.length < 2) return canvas;
    const t0 = s[0];
    const span = Math.max(s[s.length - 2] - t0, 1);
    const top = Math.max(queue.maxDepth, queue.capacity ?? 0, 1);
    g.strokeStyle = themeColor("--vscode-charts-purple", "#b180d7");
    g.beginPath();
    for (let i = 0; i < s.length; i += 2) g.lineTo(((s[i] - t0) / span) * width, height - 1 - (s[i + 1] / top) * (height - 2));
    g.stroke();
    return canvas;
  }
}

export class WarningsView extends ListView {
  constructor(model: TraceModel, openSource: (place: Site | StackFrame) => void) {
    super(model, openSource, "Warnings", ["Check", "Latest message", "Times", "Last at", "Site"]);
  }

  protected fill(): void {
    const groups = [...this.model.warnings.values()].sort((a, b) => b.last - a.last).slice(0, ROW_LIMIT);
    for (const w of groups) {
      this.body.append(el("tr", {}, el("td", {}, w.check), el("td", {}, w.message), el("td", { class: "num" }, String(w.count)), el("td", { class: "num" }, ms(w.last)), this.site(w.site)));
    }
  }
}
