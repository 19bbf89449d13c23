// The Task Inspector webview: receives trace batches from the extension,
// feeds them to the model in slices of a few milliseconds (so a flood of
// events never freezes the page), and redraws the visible view once a frame.
import "@vscode/codicons/dist/codicon.css";
import "uplot/dist/uPlot.min.css";
import "./panel.css";
import type { BatchMessage, Site, StackFrame } from "../../../../runtime/src/protocol";
import { parseToWebview, type FromWebview, type SessionMode, type ToWebview } from "../messages";
import { el, fileName, icon, ms } from "./dom";
import { TraceModel, type Proc, type Task } from "./model";
import { LocksView, QueuesView, WarningsView } from "./resource-views";
import { TaskTable } from "./task-table";
import { TaskView } from "./task-view";
import { Timeline } from "./timeline";

declare function acquireVsCodeApi(): { postMessage(message: FromWebview): void };

/** Longest stretch of ingest work before the page gets a turn to draw. */
const SLICE_MS = 8;
/** The table re-sorts at most this often while tasks stream in; user actions re-sort at once. */
const LIVE_RESORT_MS = 500;
/** ...and waits this many times its own duration before the next, so re-sorting takes at most 1/20 of the time. */
const LIVE_RESORT_SHARE = 20;
/** Events held while paused, and kept for replay; beyond these they are counted and dropped. */
const HELD_MAX_EVENTS = 1_000_000;
const REPLAY_MAX_EVENTS = 2_000_000;

const vscode = acquireVsCodeApi();
const post = (message: FromWebview) => vscode.postMessage(message);
const openSource = (place: Site | StackFrame) => post({ type: "open-source", file: place.file, line: Math.max(1, place.line), column: Math.max(1, place.column) });

const model = new TraceModel();
const taskView = new TaskView(model, openSource, (task) => showTask(task));
const table = new TaskTable(model, (task) => showTask(task));
const timeline = new Timeline(model, openSource);
const locks = new LocksView(model, openSource);
const queues = new QueuesView(model, openSource);
const warnings = new WarningsView(model, openSource);

let mode: SessionMode = "live";
let paused = false;
let held: BatchMessage[] = [];
let heldEvents = 0;
let droppedWhilePaused = 0;
/** Events the extension dropped because this page fell behind. */
let droppedByExtension = 0;
let recording: BatchMessage[] = [];
let recordedEvents = 0;
let notRecorded = 0;
/** Ingest queue: whole batches, and how far into the first one ingest has got. */
let queue: BatchMessage[] = [];
let queueAt = 0;
let cutoff = Infinity;
let nextResort = 0;

function showTask(task: Task): void {
  table.select(task, false);
  taskView.show(task);
}

// ---- Toolbar and counters ----------------------------------------------------

const pauseButton = el("button", { class: "icon-button", type: "button", "aria-pressed": "false" });
const filter = el("input", { class: "filter", type: "search", placeholder: "Filter tasks (name, kind, file, state, #id)", "aria-label": "Filter tasks", spellcheck: "false" });
const siteChip = el("span", { class: "chip", hidden: "" });
const processPicker = el("select", { class: "process-picker", title: "Show the tasks of one process or worker thread", "aria-label": "Process", hidden: "" });
const status = el("span", { class: "status", role: "status" });
const counters = el("div", { class: "counters", "aria-label": "Counters" });
const slider = el("input", { class: "slider", type: "range", min: "0", max: "0", step: "any", value: "0", "aria-label": "Replay position" });
const sliderLabel = el("output", { class: "slider-label" });
const replayBar = el("div", { class: "replay", hidden: "" }, icon("history"), slider, sliderLabel);

function toolButton(name: string, label: string, onClick: () => void): HTMLButtonElement {
  const button = el("button", { class: "icon-button", type: "button", title: label, "aria-label": label }, icon(name));
  button.addEventListener("click", onClick);
  return button;
}

function showPaused(): void {
  pauseButton.replaceChildren(icon(paused ? "debug-continue" : "debug-pause"));
  const label = paused ? "Resume live updates" : "Pause live updates";
  pauseButton.title = label;
  pauseButton.setAttribute("aria-label", label);
  pauseButton.setAttribute("aria-pressed", String(paused));
}

function setPaused(value: boolean): void {
  paused = value;
  showPaused();
  post({ type: "pause", paused });
  if (!paused) {
    for (const batch of held) enqueue(batch);
    held = [];
    heldEvents = 0;
  }
}
pauseButton.addEventListener("click", () => setPaused(!paused));

filter.addEventListener("input", () => table.setQuery(filter.value));
filter.addEventListener("keydown", (event) => {
  if (event.key === "ArrowDown" || event.key === "Enter") {
    event.preventDefault();
    table.focus();
  }
});

function setSiteFilter(site: { file: string; line: number } | undefined): void {
  table.setSiteFilter(site);
  siteChip.hidden = site === undefined;
  if (!site) return;
  const remove = el("button", { class: "icon-button", type: "button", title: "Clear the site filter", "aria-label": "Clear the site filter" }, icon("close"));
  remove.addEventListener("click", () => setSiteFilter(undefined));
  siteChip.title = "Tasks created at this line, and tasks that blocked the event loop with it on the stack";
  siteChip.replaceChildren(icon("filter"), `at ${fileName(site.file)}:${site.line}`, remove);
}

/** A child process by its pid and script, a worker thread by its id and its process. */
function processLabel(proc: Proc): string {
  if (proc.threadId !== 0) return `thread ${proc.threadId} of pid ${proc.pid}`;
  const script = proc.info?.argv[1];
  return `pid ${proc.pid}${script ? ` · ${fileName(script)}` : ""}`;
}

/** Lists the processes seen so far; shown once there are two or more (child processes, worker threads). */
function updateProcessPicker(): void {
  const procs = [...model.procs.values()];
  const labels = procs.map(processLabel);
  const text = labels.join("|");
  if (processPicker.dataset.text === text) return;
  processPicker.dataset.text = text;
  const chosen = processPicker.value;
  const options = procs.map((p, i) => el("option", { value: String(p.index) }, labels[i]));
  // A replay to an earlier point may not have met the chosen process yet; the table keeps its filter, and says so here.
  if (chosen !== "" && !procs.some((p) => String(p.index) === chosen)) options.push(el("option", { value: chosen }, "a process not started yet"));
  processPicker.replaceChildren(el("option", { value: "" }, "All processes"), ...options);
  processPicker.value = chosen;
  processPicker.hidden = procs.length < 2 && chosen === "";
}

processPicker.addEventListener("change", () => {
  table.setProcessFilter(processPicker.value === "" ? undefined : Number(processPicker.value));
});

slider.addEventListener("input", () => replayTo(Number(slider.value)));

const toolbar = el(
  "div",
  { class: "toolbar", role: "toolbar", "aria-label": "Task Inspector" },
  pauseButton,
  toolButton("folder-opened", "Open a trace file", () => post({ type: "open-trace" })),
  toolButton("save", "Save the trace", () => post({ type: "save-trace" })),
  filter,
  processPicker,
  siteChip,
  status,
);

function updateCounters(): void {
  const d = model.dropped;
  const lost = d.ring + d.socket + d.file + droppedWhilePaused + notRecorded + droppedByExtension;
  const parts: [string, string, string][] = [
    ["tasks", `${table.rows.length.toLocaleString()} / ${model.tasks.size.toLocaleString()}`, "Tasks shown / kept"],
    ["evicted", model.tasksEvicted.toLocaleString(), "Old tasks evicted to bound memory"],
    ["events", model.eventsReceived.toLocaleString(), "Events received"],
    ["dropped", `ring ${d.ring} · socket ${d.socket} · file ${d.file}${droppedByExtension ? ` · extension ${droppedByExtension}` : ""}${droppedWhilePaused ? ` · paused ${droppedWhilePaused}` : ""}${notRecorded ? ` · replay ${notRecorded}` : ""}`, "Events the runtime or the panel had to drop"],
    ["skipped", `${model.eventsSkipped} · rejected ${model.batchesRejected}`, "Events of unknown types skipped; malformed messages rejected"],
  ];
  if (paused) parts.push(["held", heldEvents.toLocaleString(), "Events held while paused"]);
  const text = parts.map(([k, v]) => `${k} ${v}`).join("|");
  if (counters.dataset.text === text) return;
  counters.dataset.text = text;
  counters.replaceChildren(...parts.map(([k, v, title]) => el("span", { class: `counter counter-${k}${k === "dropped" && lost > 0 ? " warn" : ""}`, title }, el("span", { class: "counter-name" }, k), " ", el("span", { class: "counter-value" }, v))));
}

// ---- Tabs ------------------------------------------------------------------------

const tasksPanel = el("div", { class: "tasks-panel" }, table.element, taskView.element);
const tabs: { id: string; label: string; iconName: string; panel: HTMLElement; refresh(): void }[] = [
  { id: "tasks", label: "Tasks", iconName: "list-flat", panel: tasksPanel, refresh: () => refreshTable() },
  { id: "timeline", label: "Timeline", iconName: "pulse", panel: timeline.element, refresh: () => timeline.refresh() },
  { id: "locks", label: "Locks", iconName: "lock", panel: locks.element, refresh: () => locks.refresh() },
  { id: "queues", label: "Queues", iconName: "layers", panel: queues.element, refresh: () => queues.refresh() },
  { id: "warnings", label: "Warnings", iconName: "warning", panel: warnings.element, refresh: () => warnings.refresh() },
];
let activeTab = tabs[0];
const tabButtons = tabs.map((tab) => {
  const button = el("button", { class: "tab", type: "button", role: "tab", id: `tab-${tab.id}`, "aria-controls": `panel-${tab.id}` }, icon(tab.iconName), tab.label);
  button.addEventListener("click", () => selectTab(tab));
  tab.panel.id = `panel-${tab.id}`;
  tab.panel.classList.add("tab-panel");
  tab.panel.setAttribute("role", "tabpanel");
  tab.panel.setAttribute("aria-labelledby", `tab-${tab.id}`);
  return button;
});
const tabList = el("div", { class: "tabs", role: "tablist", "aria-label": "Views" }, ...tabButtons);
tabList.addEventListener("keydown", (event) => {
  const step = event.key === "ArrowRight" ? 1 : event.key === "ArrowLeft" ? -1 : 0;
  if (!step) return;
  const next = tabs[(tabs.indexOf(activeTab) + step + tabs.length) % tabs.length];
  selectTab(next);
  tabButtons[tabs.indexOf(next)].focus();
});

function selectTab(tab: (typeof tabs)[number]): void {
  activeTab = tab;
  tabs.forEach((t, i) => {
    t.panel.hidden = t !== tab;
    tabButtons[i].setAttribute("aria-selected", String(t === tab));
    tabButtons[i].tabIndex = t === tab ? 0 : -1;
  });
  tab.refresh();
}

function refreshTable(): void {
  const now = performance.now();
  if (table.stale && (now >= nextResort || table.rows.length === 0)) {
    table.refresh();
    // A rebuild that takes long (100k rows, a busy machine) comes round less often, so ingest and scrolling keep their frames.
    nextResort = now + Math.max(LIVE_RESORT_MS, (performance.now() - now) * LIVE_RESORT_SHARE);
  } else table.render();
  taskView.refresh();
}

// ---- Ingest ------------------------------------------------------------------------

const channel = new MessageChannel();
let scheduled = false;
channel.port1.onmessage = () => {
  scheduled = false;
  ingestSlice();
};

function schedule(): void {
  if (scheduled || queue.length === 0) return;
  scheduled = true;
  channel.port2.postMessage(0);
}

function enqueue(batch: BatchMessage): void {
  queue.push(batch);
  schedule();
}

function ingestSlice(): void {
  const end = performance.now() + SLICE_MS;
  while (queue.length > 0) {
    const batch = queue[0];
    const proc = model.proc(batch);
    const events = batch.events;
    while (queueAt < events.length) {
      const e = events[queueAt++];
      if (e.t + proc.offset <= cutoff || e.type === "process") model.ingest(proc, e);
      if ((queueAt & 255) === 0 && performance.now() > end) return schedule();
    }
    queue.shift();
    queueAt = 0;
  }
}

function receive(message: ToWebview, skipped: number): void {
  model.eventsSkipped += skipped;
  switch (message.type) {
    case "session":
      startSession(message.mode, message.label);
      break;
    case "batches":
      droppedByExtension = message.dropped ?? droppedByExtension;
      for (const batch of message.batches) {
        if (mode === "replay") record(batch);
        if (!paused) enqueue(batch);
        else if (heldEvents + batch.events.length <= HELD_MAX_EVENTS) {
          held.push(batch);
          heldEvents += batch.events.length;
        } else droppedWhilePaused += batch.events.length;
      }
      break;
    case "filter-site":
      selectTab(tabs[0]);
      setSiteFilter({ file: message.file, line: message.line });
      break;
    case "status":
      status.textContent = message.text;
      break;
  }
}

function record(batch: BatchMessage): void {
  if (recordedEvents + batch.events.length > REPLAY_MAX_EVENTS) {
    notRecorded += batch.events.length;
    return;
  }
  recording.push(batch);
  recordedEvents += batch.events.length;
}

function startSession(newMode: SessionMode, label: string): void {
  mode = newMode;
  model.reset();
  queue = [];
  queueAt = 0;
  held = [];
  heldEvents = droppedWhilePaused = droppedByExtension = recordedEvents = notRecorded = 0;
  recording = [];
  cutoff = Infinity;
  replayBar.hidden = mode !== "replay";
  status.textContent = label;
  processPicker.value = "";
  table.setProcessFilter(undefined);
  taskView.show(undefined);
  table.refresh(true);
}

/** Rebuilds the model from the recording up to `t`: what the program looked like then. */
function replayTo(t: number): void {
  model.reset();
  cutoff = t;
  queue = [...recording];
  queueAt = 0;
  taskView.show(undefined);
  schedule();
}

window.addEventListener("message", (event: MessageEvent) => {
  const parsed = parseToWebview(event.data);
  if (parsed.ok) receive(parsed.value, parsed.skippedEvents);
  else {
    model.batchesRejected++;
    status.textContent = `Refused a message: ${parsed.error}`;
  }
});

// ---- Drawing ---------------------------------------------------------------------------

let drawnVersion = -1;
function frame(): void {
  requestAnimationFrame(frame);
  if (mode === "replay" && cutoff === Infinity && queue.length === 0) {
    const end = model.now;
    if (Number(slider.max) !== end) {
      slider.max = String(end);
      slider.value = String(end);
    }
  }
  sliderLabel.textContent = mode === "replay" ? `${ms(Math.min(cutoff, model.now))} of ${ms(Number(slider.max))}` : "";
  // A throttled re-sort may still be owed after the last change.
  if (!paused && (model.version !== drawnVersion || (activeTab === tabs[0] && table.stale))) {
    drawnVersion = model.version;
    activeTab.refresh();
  }
  updateCounters();
  updateProcessPicker();
}

document.addEventListener("keydown", (event) => {
  if (event.key === "/" && document.activeElement !== filter) {
    event.preventDefault();
    filter.focus();
  }
});

const app = document.getElementById("app")!;
app.append(el("header", { class: "top" }, toolbar, replayBar, counters, tabList), ...tabs.map((t) => t.panel));
showPaused();
selectTab(tabs[0]);
requestAnimationFrame(frame);
post({ type: "ready" });
