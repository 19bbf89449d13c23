import * as assert from "node:assert/strict";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { exportToOpenTelemetry } from "../../runtime/src/index";
import { EVERY_ROOT, get, serveTraced } from "./helpers";

describe("runtime: OpenTelemetry bridge", function () {
  this.timeout(30_000);

  it("exports root tasks as spans and child tasks as their child spans", async () => {
    const traced = await serveTraced(
      "http-server.js",
      async (port) => {
        await get(port, "/a");
        await get(port, "/b");
      },
      EVERY_ROOT,
    );
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const count = exportToOpenTelemetry(traced.traceFile, provider.getTracer("async-lens-test"));
    const spans = exporter.getFinishedSpans();
    assert.equal(spans.length, count);

    const requests = spans.filter((s) => s.attributes["async_lens.task.kind"] === "http");
    assert.deepEqual(
      requests.map((s) => s.name),
      ["GET /a", "GET /b"],
    );
    for (const request of requests) {
      assert.equal(request.parentSpanContext, undefined, "a request is a root span");
      assert.equal(request.attributes["async_lens.task.state"], "finished");
      const children = spans.filter((s) => s.parentSpanContext?.spanId === request.spanContext().spanId);
      assert.ok(children.length > 0, `${request.name} has no child spans`);
      for (const child of children) {
        assert.equal(child.spanContext().traceId, request.spanContext().traceId);
        assert.ok(child.startTime[0] * 1e3 + child.startTime[1] / 1e6 >= request.startTime[0] * 1e3 + request.startTime[1] / 1e6 - 1);
      }
    }
    assert.notEqual(requests[0].spanContext().traceId, requests[1].spanContext().traceId);
  });
});
