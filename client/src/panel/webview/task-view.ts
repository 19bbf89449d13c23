// One task in detail: its runs on a time axis, where it sits in the task tree,
// what it waits on (the await chain), and where it was created, as a link
// that opens the editor at that line.
import type { Site, StackFrame } from "../../../../runtime/src/protocol";
import { clear, el, icon, ms, sourceLink } from "./dom";
import type { Task, TraceModel } from "./model";
import { themeColor } from "./theme";

const MAX_CHAIN = 32;
const MAX_CHILDREN_SHOWN = 200;

export class TaskView {
  readonly element = el("section", { class: "task-view", "aria-label": "Task details", hidden: "" });
  private task: Task | undefined;
  private shownVersion = -1;

  constructor(
    private readonly model: TraceModel,
    private readonly openSource: (place: Site | StackFrame) => void,
    private readonly selectTask: (task: Task) => void,
  ) {}

  show(task: Task | undefined): void {
    this.task = task;
    this.shownVersion = -1;
    this.refresh();
  }

  get current(): Task | undefined {
    return this.task;
  }

  refresh(): void {
    const task = this.task;
    this.element.hidden = task === undefined;
    if (!task || this.shownVersion === this.model.version) return;
    this.shownVersion = this.model.version;
    const close = el("button", { class: "icon-button", type: "button", title: "Close task details", "aria-label": "Close task details" }, icon("close"));
    close.addEventListener("click", () => this.show(undefined));
    const title = el("h2", { class: "task-title" }, `#${task.id} `, el("span", { class: "task-name" }, task.name || task.kind), el("span", { class: `state state-${task.state}` }, task.state));
    const facts = el(
      "dl",
      { class: "facts" },
      ...fact("Kind", task.kind),
      ...fact("Process", `${task.proc.pid}${task.proc.threadId ? ` thread ${task.proc.threadId}` : ""}`),
      ...fact("Created", `${ms(task.created)} into the trace`),
      ...fact("Age", ms(this.model.age(task))),
      ...fact("Busy", ms(task.busy)),
      ...fact("Idle", ms(this.model.idle(task))),
      ...fact("Runs", String(task.runs)),
    );
    const site = el("dd", {}, task.site ? sourceLink(task.site, this.openSource, `${task.site.fn ? `${task.site.fn} ` : ""}${task.site.file}:${task.site.line}`) : "unknown");
    facts.append(el("dt", {}, "Created at"), site);
    clear(this.element);
    this.element.append(el("div", { class: "task-view-head" }, title, close), facts, this.runs(task), this.chain(task), this.tree(task));
  }

  private runs(task: Task): HTMLElement {
    const canvas = el("canvas", { class: "runs-axis", role: "img" });
    const end = task.ended ?? this.model.now;
    const span = Math.max(end - task.created, 0.001);
    const shown = task.recentRuns.length / 2;
    canvas.setAttribute("aria-label", `${task.runs} runs between ${ms(task.created)} and ${ms(end)}${shown < task.runs ? `, the last ${shown} drawn` : ""}`);
    requestAnimationFrame(() => {
      const width = canvas.clientWidth || 400;
      const height = 28;
      const ratio = window.devicePixelRatio || 1;
      canvas.width = width * ratio;
      canvas.height = height * ratio;
      const g = canvas.getContext("2d");
      if (!g) return;
      g.scale(ratio, ratio);
      g.fillStyle = themeColor("--vscode-editorWidget-border", "#8886");
      g.fillRect(0, height / 2, width, 1);
      g.fillStyle = themeColor("--vscode-charts-blue", "#3794ff");
      for (let i = 0; i < task.recentRuns.length; i += 2) {
        const x = ((task.recentRuns[i] - task.created) / span) * width;
        g.fillRect(Math.min(x, width - 2), 4, Math.max(2, (task.recentRuns[i + 1] / span) * width), height - 8);
      }
    });
    return el("div", { class: "detail-block" }, el("h3", {}, "Runs"), canvas, el("div", { class: "axis-labels" }, el("span", {}, ms(task.created)), el("span", {}, ms(end))));
  }

  private chain(task: Task): HTMLElement {
    const list = el("ol", { class: "chain", "aria-label": "Await chain" });
    const seen = new Set<Task>();
    for (let t: Task | undefined = task; t && !seen.has(t) && seen.size < MAX_CHAIN; t = this.model.awaitedChild(t)) {
      seen.add(t);
      const item = el("li", {}, this.taskButton(t));
      if (t.state === "pending" && t.waitingFor) item.append(" waits for lock ", el("strong", {}, t.waitingFor.name));
      list.append(item);
    }
    const empty = seen.size === 1 && !task.waitingFor;
    return el("div", { class: "detail-block" }, el("h3", {}, "Await chain"), empty ? el("p", { class: "muted" }, task.state === "pending" ? "Waits on nothing the runtime saw." : "Settled.") : list);
  }

  private tree(task: Task): HTMLElement {
    const parent = this.model.tasks.get(task.parentKey);
    const children = task.children.map((k) => this.model.tasks.get(k)).filter((t): t is Task => t !== undefined);
    const childList = el("ul", { class: "children", role: "group" }, ...children.slice(0, MAX_CHILDREN_SHOWN).map((c) => el("li", { role: "treeitem" }, this.taskButton(c))));
    const self = el("li", { role: "treeitem", "aria-expanded": "true" }, el("strong", {}, `#${task.id} ${task.name || task.kind}`), childList);
    const root = el("ul", { class: "tree", role: "tree", "aria-label": "Parent and children" });
    if (parent) root.append(el("li", { role: "treeitem", "aria-expanded": "true" }, this.taskButton(parent), el("ul", { role: "group" }, self)));
    else root.append(self);
    const more = children.length > MAX_CHILDREN_SHOWN ? el("p", { class: "muted" }, `${children.length - MAX_CHILDREN_SHOWN} more children`) : "";
    const noParent = task.parentKey !== 0 && !parent ? el("p", { class: "muted" }, "Parent evicted or not sampled.") : "";
    return el("div", { class: "detail-block" }, el("h3", {}, "Parent and children"), noParent, root, more);
  }

  private taskButton(task: Task): HTMLElement {
    const button = el("button", { class: "link-button", type: "button", title: `Show task #${task.id}` }, `#${task.id} ${task.name || task.kind}`, el("span", { class: `state state-${task.state}` }, task.state));
    button.addEventListener("click", () => this.selectTask(task));
    return button;
  }
}

function fact(name: string, value: string): HTMLElement[] {
  return [el("dt", {}, name), el("dd", {}, value)];
}
