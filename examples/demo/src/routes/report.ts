// blocking-call: a request handler that reads a file synchronously. While the
// template is read from disk, no other request on this server makes progress.
import type { Request, Response } from "express";
import * as fs from "node:fs";
import * as path from "node:path";

const TEMPLATES = path.join(__dirname, "..", "..", "templates");

export async function renderReport(req: Request, res: Response): Promise<void> {
  const template = fs.readFileSync(path.join(TEMPLATES, "report.html"), "utf8");
  const rows = await loadRows(String(req.query.month ?? ""));
  res.type("html").send(template.replace("{{rows}}", rows.map((r) => `<tr><td>${r}</td></tr>`).join("")));
}

async function loadRows(month: string): Promise<string[]> {
  return month === "" ? [] : [`orders for ${month}`];
}
