console.log(new Error("module").stack);
