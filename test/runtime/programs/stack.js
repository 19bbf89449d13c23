// Prints the stack its own top-level code sees, and a required module's.
console.log(new Error("main").stack);
require("./stack-module.js");
