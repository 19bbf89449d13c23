// Blocks for 150 ms after one turn of the event loop.
setTimeout(() => {
  const end = Date.now() + 150;
  while (Date.now() < end) {} // BLOCK: briefly
}, 20);
