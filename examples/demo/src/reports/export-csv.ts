// ignored-backpressure: the loop writes every row without looking at write()'s
// result, so a slow disk makes the stream buffer the whole export in memory.
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";

export interface OrderRow {
  id: number;
  customer: string;
  total: number;
}

export async function exportOrders(file: string, rows: AsyncIterable<OrderRow>): Promise<void> {
  const out = createWriteStream(file);
  out.write("id,customer,total\n");
  for await (const row of rows) {
    out.write(`${row.id},${row.customer},${row.total}\n`);
  }
  out.end();
  await finished(out);
}
