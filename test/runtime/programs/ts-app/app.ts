// Compiled with a source map by the test; blocks on a known TypeScript line.
interface Job {
  ms: number;
}

function busy(job: Job): void {
  const end = Date.now() + job.ms;
  while (Date.now() < end) {} // BLOCK: typescript
}

setTimeout(() => busy({ ms: 200 }), 20);
