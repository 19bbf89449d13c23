// Blocks for 150 ms, once the runtime's watchdog is surely up (a block in a
// process's first moments is recorded, but without its stack).
setTimeout(() => {
  const end = Date.now() + 150;
  while (Date.now() < end) {} // BLOCK: briefly
}, 300);
