// Silent: at most `concurrency` requests in flight, however many URLs there are.
export async function fetchAll(urls: readonly string[], concurrency = 8): Promise<string[]> {
  const results: string[] = new Array(urls.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < urls.length) {
      const index = next++;
      const response = await fetch(urls[index]);
      results[index] = await response.text();
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, urls.length) }, () => worker()));
  return results;
}
