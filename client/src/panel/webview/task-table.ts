// The task table: virtualised (only the rows in sight exist in the page, a
// fixed pool reused as it scrolls), sortable by any column, filtered by text,
// by site (created there, or blocked with it on the stack) and by process.
// Numeric columns radix-sort one key per row, string columns sort only their
// distinct values, so 100k rows sort in milliseconds; equal keys keep
// creation order.
import { el, ms } from "./dom";
import { filePath } from "../source-files";
import type { Task, TraceModel } from "./model";
import { orderByKey } from "./radix-sort";

export const ROW_HEIGHT = 22;

type ColumnId = "id" | "kind" | "name" | "site" | "state" | "busy" | "idle" | "runs" | "age" | "awaiting";

interface Column {
  id: ColumnId;
  label: string;
  numeric: boolean;
  key(model: TraceModel, task: Task): number | string;
  text(model: TraceModel, task: Task): string;
}

const COLUMNS: Column[] = [
  { id: "id", label: "ID", numeric: true, key: (_, t) => t.key, text: (_, t) => String(t.id) },
  { id: "kind", label: "Kind", numeric: false, key: (_, t) => t.kind, text: (_, t) => t.kind },
  { id: "name", label: "Name", numeric: false, key: (_, t) => t.name, text: (_, t) => t.name },
  { id: "site", label: "Site", numeric: false, key: (_, t) => t.siteText, text: (_, t) => t.siteText },
  { id: "state", label: "State", numeric: false, key: (_, t) => t.state, text: (_, t) => t.state },
  { id: "busy", label: "Busy", numeric: true, key: (_, t) => t.busy, text: (_, t) => ms(t.busy) },
  { id: "idle", label: "Idle", numeric: true, key: (m, t) => m.idle(t), text: (m, t) => ms(m.idle(t)) },
  { id: "runs", label: "Runs", numeric: true, key: (_, t) => t.runs, text: (_, t) => String(t.runs) },
  { id: "age", label: "Age", numeric: true, key: (m, t) => m.age(t), text: (m, t) => ms(m.age(t)) },
  { id: "awaiting", label: "Awaiting", numeric: false, key: (m, t) => m.awaiting(t), text: (m, t) => m.awaiting(t) },
];

export interface SiteFilter {
  file: string;
  line: number;
}

/** Whether a place is the filter's line of the filter's file, however either spells the file. */
function atSite(filter: SiteFilter): (place: { file: string; line: number } | undefined) => boolean {
  const file = filePath(filter.file);
  return (place) => place?.line === filter.line && filePath(place.file) === file;
}

export class TaskTable {
  readonly element: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly body: HTMLElement;
  private readonly headers = new Map<ColumnId, HTMLElement>();
  private pool: { row: HTMLElement; cells: HTMLElement[]; task?: Task }[] = [];
  rows: Task[] = [];
  private sortColumn: Column = COLUMNS[0];
  private descending = false;
  private query: string[] = [];
  private siteFilter: SiteFilter | undefined;
  /** A process's index, which a replay to another point in time keeps (its Proc objects are new). */
  private procFilter: number | undefined;
  private builtFor = -1;
  selected: Task | undefined;

  constructor(
    private readonly model: TraceModel,
    private readonly onOpen: (task: Task) => void,
  ) {
    const head = el("div", { class: "grid-row grid-head", role: "row" });
    for (const column of COLUMNS) {
      const button = el("button", { class: `col col-${column.id}`, type: "button", title: `Sort by ${column.label}` }, column.label);
      const header = el("div", { class: `cell col-${column.id}`, role: "columnheader", "aria-sort": "none" }, button);
      button.addEventListener("click", () => this.sortBy(column.id));
      this.headers.set(column.id, header);
      head.append(header);
    }
    this.body = el("div", { class: "grid-body", role: "rowgroup" });
    // The header sticks to the top of the scroller, so it scrolls sideways with the rows in a narrow view.
    this.spacer = el("div", { class: "grid-spacer" }, this.body);
    this.element = el("div", { class: "grid", role: "grid", tabindex: "0", "aria-label": "Tasks", "aria-rowcount": "1" }, el("div", { role: "rowgroup", class: "grid-headgroup" }, head), this.spacer);
    this.element.addEventListener("scroll", () => this.render());
    this.element.addEventListener("keydown", (event) => this.onKey(event));
    this.body.addEventListener("click", (event) => {
      const row = (event.target as HTMLElement).closest<HTMLElement>(".grid-row");
      const task = this.pool.find((p) => p.row === row)?.task;
      if (task) this.select(task, true);
    });
    this.updateHeaders();
  }

  setQuery(text: string): void {
    this.query = text.toLowerCase().split(/\s+/).filter((s) => s.length > 0);
    this.rebuild();
  }

  setSiteFilter(filter: SiteFilter | undefined): void {
    this.siteFilter = filter;
    this.rebuild();
  }

  /** Shows only the tasks of one process or worker thread, by its index (undefined: all of them). */
  setProcessFilter(index: number | undefined): void {
    this.procFilter = index;
    this.rebuild();
  }

  get site(): SiteFilter | undefined {
    return this.siteFilter;
  }

  sortBy(id: ColumnId, descending?: boolean): void {
    const column = COLUMNS.find((c) => c.id === id)!;
    this.descending = descending ?? (column === this.sortColumn ? !this.descending : column.numeric && column.id !== "id");
    this.sortColumn = column;
    this.updateHeaders();
    this.rebuild();
  }

  /** Tasks came or went since the row list was built. */
  get stale(): boolean {
    return this.builtFor !== this.model.taskSetVersion;
  }

  /** Rebuilds the row list if tasks came or went since the last build (or always, with `force`). */
  refresh(force = false): void {
    if (force || this.stale) this.rebuild();
    else this.render();
  }

  rebuild(): void {
    this.builtFor = this.model.taskSetVersion;
    const matching: Task[] = [];
    const { query, siteFilter, procFilter } = this;
    const at = siteFilter && atSite(siteFilter);
    const blockedThere = at && this.tasksThatBlockedAt(at);
    for (const task of this.model.tasks.values()) {
      if (procFilter !== undefined && task.proc.index !== procFilter) continue;
      if (at && !at(task.site) && !blockedThere!.has(task.key)) continue;
      if (query.length > 0 && !query.every((q) => task.search.includes(q) || task.state.startsWith(q))) continue;
      matching.push(task);
    }
    this.rows = this.sorted(matching);
    this.element.setAttribute("aria-rowcount", String(this.rows.length + 1));
    this.spacer.style.height = `${this.rows.length * ROW_HEIGHT}px`;
    this.render();
  }

  /** Tasks that were running when the loop blocked with the line on the stack (a blocking call's line creates no task). */
  private tasksThatBlockedAt(at: (place: { file: string; line: number } | undefined) => boolean): Set<number> {
    const keys = new Set<number>();
    for (const block of this.model.blocks) if (at(block.site) || block.stack.some(at)) keys.add(block.taskKey);
    return keys;
  }

  private sorted(tasks: Task[]): Task[] {
    const column = this.sortColumn;
    let order: Uint32Array;
    if (column.numeric) {
      const keys = new Float64Array(tasks.length);
      for (let i = 0; i < tasks.length; i++) keys[i] = column.key(this.model, tasks[i]) as number;
      order = orderByKey(keys, this.descending);
    } else {
      // Rows grouped by their string, and only the distinct strings compared:
      // columns repeat few values (kinds, states, sites) or many empty ones.
      const groups = new Map<string, number[]>();
      for (let i = 0; i < tasks.length; i++) {
        const key = column.key(this.model, tasks[i]) as string;
        const group = groups.get(key);
        if (group) group.push(i);
        else groups.set(key, [i]);
      }
      const distinct = [...groups.keys()].sort();
      if (this.descending) distinct.reverse();
      order = new Uint32Array(tasks.length);
      let at = 0;
      for (const key of distinct) for (const i of groups.get(key)!) order[at++] = i;
    }
    const out = new Array<Task>(tasks.length);
    for (let i = 0; i < order.length; i++) out[i] = tasks[order[i]];
    return out;
  }

  /** Fills the row pool with the rows in sight. */
  render(): void {
    const height = this.element.clientHeight - ROW_HEIGHT || ROW_HEIGHT * 20;
    const first = Math.max(0, Math.floor(this.element.scrollTop / ROW_HEIGHT) - 2);
    const count = Math.min(this.rows.length - first, Math.ceil(height / ROW_HEIGHT) + 5);
    while (this.pool.length < count) this.pool.push(this.newRow());
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let i = 0; i < this.pool.length; i++) {
      const slot = this.pool[i];
      const task = i < count ? this.rows[first + i] : undefined;
      slot.task = task;
      slot.row.hidden = task === undefined;
      if (!task) continue;
      slot.row.setAttribute("aria-rowindex", String(first + i + 2));
      const selected = task === this.selected;
      slot.row.classList.toggle("selected", selected);
      slot.row.setAttribute("aria-selected", String(selected));
      slot.row.id = selected ? "task-row-selected" : "";
      slot.row.classList.toggle("settled", task.state !== "pending");
      for (let c = 0; c < COLUMNS.length; c++) {
        const text = COLUMNS[c].text(this.model, task);
        if (slot.cells[c].textContent !== text) slot.cells[c].textContent = text;
      }
      const title = task.site ? `${task.site.file}:${task.site.line}:${task.site.column}` : "";
      if (slot.cells[3].title !== title) slot.cells[3].title = title;
    }
    if (this.pool.some((p) => p.task !== undefined && p.task === this.selected)) this.element.setAttribute("aria-activedescendant", "task-row-selected");
    else this.element.removeAttribute("aria-activedescendant");
  }

  select(task: Task, open: boolean): void {
    this.selected = task;
    const index = this.rows.indexOf(task);
    if (index >= 0) {
      const top = index * ROW_HEIGHT;
      const { scrollTop } = this.element;
      const inSight = this.element.clientHeight - ROW_HEIGHT;
      if (top < scrollTop) this.element.scrollTop = top;
      else if (top + ROW_HEIGHT > scrollTop + inSight) this.element.scrollTop = top + ROW_HEIGHT - inSight;
    }
    this.render();
    if (open) this.onOpen(task);
  }

  focus(): void {
    this.element.focus();
  }

  private onKey(event: KeyboardEvent): void {
    if (this.rows.length === 0) return;
    const page = Math.max(1, Math.floor(this.element.clientHeight / ROW_HEIGHT) - 2);
    const current = this.selected ? this.rows.indexOf(this.selected) : -1;
    const moves: Record<string, number> = { ArrowDown: current + 1, ArrowUp: current - 1, PageDown: current + page, PageUp: current - page, Home: 0, End: this.rows.length - 1 };
    if (event.key in moves) {
      event.preventDefault();
      const index = Math.min(this.rows.length - 1, Math.max(0, moves[event.key]));
      this.select(this.rows[index], false);
    } else if (event.key === "Enter" && this.selected) {
      event.preventDefault();
      this.onOpen(this.selected);
    }
  }

  private newRow(): { row: HTMLElement; cells: HTMLElement[] } {
    const cells = COLUMNS.map((c) => el("div", { class: `cell col-${c.id}${c.numeric ? " num" : ""}`, role: "gridcell" }));
    const row = el("div", { class: "grid-row", role: "row" }, ...cells);
    this.body.append(row);
    return { row, cells };
  }

  private updateHeaders(): void {
    for (const [id, header] of this.headers) {
      const active = id === this.sortColumn.id;
      header.setAttribute("aria-sort", active ? (this.descending ? "descending" : "ascending") : "none");
      header.classList.toggle("sorted", active);
      header.classList.toggle("descending", active && this.descending);
    }
  }
}
