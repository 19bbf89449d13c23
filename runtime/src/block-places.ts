// A block the watchdog could not read the stack of is placed by what ran it:
// a request's handler is placed where another block of the same route was
// caught. Used live by the collector and again by the summary, which sees the
// whole trace (blocks before the route's first caught stack included).
import type { BlockEvent, Site } from "./protocol";

/** Routes remembered; past this the oldest are forgotten. */
const MAX_ROUTES = 1000;

/** The handler a request went to: its method and route pattern, or its path without the query. */
export function routeOf(block: BlockEvent): string | undefined {
  if (block.request === undefined) return undefined;
  const [method, url = ""] = block.request.split(" ");
  return `${method} ${block.route ?? url.split("?")[0]}`;
}

export class RoutePlaces {
  private readonly sites = new Map<string, Site>();

  /** Remembers where a block with a stack was caught, for its route. */
  learn(block: BlockEvent): void {
    const route = routeOf(block);
    if (route === undefined || block.placedBy !== "stack" || !block.site) return;
    this.sites.delete(route);
    this.sites.set(route, block.site);
    if (this.sites.size > MAX_ROUTES) this.sites.delete(this.sites.keys().next().value!);
  }

  /** Places an unplaced block of a known route there; true if it did. */
  place(block: BlockEvent): boolean {
    if (block.site) return false;
    const route = routeOf(block);
    const site = route === undefined ? undefined : this.sites.get(route);
    if (!site) return false;
    block.site = site;
    block.placedBy = "task";
    return true;
  }
}
