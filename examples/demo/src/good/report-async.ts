// Silent: the same handler as routes/report.ts, reading the template without blocking.
import type { Request, Response } from "express";
import { readFile } from "node:fs/promises";
import * as path from "node:path";

export async function renderReport(req: Request, res: Response): Promise<void> {
  const template = await readFile(path.join(__dirname, "..", "..", "templates", "report.html"), "utf8");
  res.type("html").send(template.replace("{{month}}", String(req.query.month ?? "")));
}
