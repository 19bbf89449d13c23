// Blocks at once, before the runtime's worker can be watching, then exits.
const end = Date.now() + 150;
while (Date.now() < end) {} // BLOCK: at start
