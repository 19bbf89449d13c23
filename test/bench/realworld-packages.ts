// The shipped npm packages the real-world check runs on: code nobody wrote
// with Async Lens in mind, of different kinds (broker and database clients,
// HTTP client and server, a process manager, a logger, a job queue, a
// websocket library, a CLI tool). None is one of the analysis benchmark's
// trees. Each is pinned, fetched from the npm registry on first use into the
// bench cache, and checked as the JavaScript its tarball ships (no build step,
// no dependencies: an editor opening the package sees the same).
import * as fs from "node:fs";
import * as path from "node:path";
import { JAVASCRIPT_COMPILER_OPTIONS, type BenchTree } from "./trees";

// Node's typings, as an editor's automatic type acquisition gives a JavaScript project,
// in the folder JAVASCRIPT_COMPILER_OPTIONS reads them from.
const TYPINGS = { "@types/node": "20.19.43" };
const TYPINGS_FOLDER = "bench-typings";

function shippedJavaScript(packageName: string, version: string, description: string, include: string[]): BenchTree {
  return {
    id: packageName,
    packageName,
    version,
    description,
    lintTargets: include.map((glob) => glob.split("/")[0]),
    sourceType: "commonjs",
    runs: 1,
    typings: TYPINGS,
    typingsFolder: TYPINGS_FOLDER,
    layout(unpacked, dir) {
      for (const entry of fs.readdirSync(path.join(unpacked, "package"))) {
        fs.renameSync(path.join(unpacked, "package", entry), path.join(dir, entry));
      }
    },
    tsconfig: {
      compilerOptions: JAVASCRIPT_COMPILER_OPTIONS,
      include,
      // Shipped tests and their helpers are not the library.
      exclude: ["**/*.spec.js", "**/*.test.js", "**/testHelpers/**"],
    },
  };
}

export const REALWORLD_PACKAGES: readonly BenchTree[] = [
  shippedJavaScript("kafkajs", "2.2.4", "Kafka broker client", ["src/**/*.js"]),
  shippedJavaScript("mqtt", "5.16.0", "MQTT broker client (compiled from TypeScript)", ["build/**/*.js"]),
  shippedJavaScript("amqplib", "2.3.1", "AMQP (RabbitMQ) broker client", ["lib/**/*.js", "channel_api.js", "callback_api.js"]),
  shippedJavaScript("pg", "8.23.1", "PostgreSQL driver", ["lib/**/*.js"]),
  shippedJavaScript("ioredis", "5.8.2", "Redis driver with cluster support (compiled from TypeScript)", ["built/**/*.js"]),
  shippedJavaScript("axios", "1.21.1", "HTTP client", ["lib/**/*.js"]),
  shippedJavaScript("fastify", "5.12.8", "HTTP server framework", ["lib/**/*.js", "fastify.js"]),
  shippedJavaScript("pm2", "7.0.4", "process manager (daemon, CLI, log files)", ["lib/**/*.js"]),
  shippedJavaScript("winston", "3.19.0", "logger with file and stream transports", ["lib/**/*.js"]),
  shippedJavaScript("bull", "4.16.5", "Redis-backed job queue", ["lib/**/*.js"]),
  shippedJavaScript("ws", "8.23.0", "websocket client and server", ["lib/**/*.js"]),
  shippedJavaScript("nodemon", "3.1.14", "CLI tool that restarts a program on file changes", ["lib/**/*.js"]),
];
