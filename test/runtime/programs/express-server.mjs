// An express server as an ES module.
import express from "express";

const app = express();
app.get("/users/:id", async (req, res) => {
  await new Promise((resolve) => setImmediate(resolve));
  res.json({ id: req.params.id });
});
const server = app.listen(0, "127.0.0.1", () => console.log(`listening ${server.address().port}`));
process.stdin.on("data", () => {});
process.stdin.on("end", () => server.close());
