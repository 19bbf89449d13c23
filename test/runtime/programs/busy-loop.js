// Blocks the event loop with a busy loop inside a promise continuation, then exits.
function spin(ms) {
  const end = Date.now() + ms;
  while (Date.now() < end);
}
async function handle() {
  await new Promise((resolve) => setTimeout(resolve, 20));
  spin(250);
  return "done";
}
handle().then((result) => console.log(result));
