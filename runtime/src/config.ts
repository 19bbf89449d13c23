// Runtime settings, read once from the environment (so they reach child
// processes and worker threads through inheritance) and overridable by start().

export interface RuntimeConfig {
  /** Append-only trace file, ASYNC_LENS_TRACE. */
  traceFile?: string;
  /** host:port of an editor to stream to, ASYNC_LENS_CONNECT, with ASYNC_LENS_TOKEN. */
  connect?: { host: string; port: number; token: string };
  /** host:port to accept viewers on, ASYNC_LENS_LISTEN; the token is written to tokenFile (mode 0600). */
  listen?: { host: string; port: number; tokenFile: string };
  /** Where the runtime's own diagnostics go (refused peers, internal errors), ASYNC_LENS_LOG. */
  logFile?: string;
  /** Record 1 root task in N (promise roots and HTTP requests, counted apart), ASYNC_LENS_SAMPLE. Counts cover all of them. */
  sampleEvery: number;
  /** At most this many sampled roots a second, 0 for no limit, ASYNC_LENS_SAMPLE_MAX. Counts still cover all. */
  sampledPerSecond: number;
  /** A synchronous stretch longer than this is a block, ASYNC_LENS_BLOCK_MS. */
  blockThresholdMs: number;
  /** Upper bound on the memory the runtime holds, ASYNC_LENS_MEMORY_MB. */
  memoryMb: number;
  /** Also record timers, sockets and fs requests through async_hooks, ASYNC_LENS_RESOURCES=1. */
  resources: boolean;
  neverSettledMs: number;
  lockWaitMs: number;
  lockHoldMs: number;
  queueWindowMs: number;
  keyframeMs: number;
}

export const DEFAULTS: Omit<RuntimeConfig, "traceFile" | "connect" | "listen" | "logFile"> = {
  sampleEvery: 256,
  sampledPerSecond: 200,
  blockThresholdMs: 50,
  memoryMb: 64,
  resources: false,
  neverSettledMs: 5000,
  lockWaitMs: 200,
  lockHoldMs: 200,
  queueWindowMs: 2000,
  keyframeMs: 2000,
};

function hostPort(value: string, name: string): { host: string; port: number } {
  const at = value.lastIndexOf(":");
  const host = value.slice(0, at);
  const port = Number(value.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be host:port, got ${JSON.stringify(value)}`);
  return { host, port };
}

function numberSetting(env: NodeJS.ProcessEnv, name: string, fallback: number, zeroAllowed: boolean): number {
  const raw = env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !zeroAllowed)) throw new Error(`${name} must be a ${zeroAllowed ? "non-negative" : "positive"} number, got ${JSON.stringify(raw)}`);
  return n;
}

const positive = (env: NodeJS.ProcessEnv, name: string, fallback: number) => numberSetting(env, name, fallback, false);
const nonNegative = (env: NodeJS.ProcessEnv, name: string, fallback: number) => numberSetting(env, name, fallback, true);

export function configFromEnv(env: NodeJS.ProcessEnv, defaultTokenFile: string): RuntimeConfig {
  const config: RuntimeConfig = {
    ...DEFAULTS,
    sampleEvery: Math.round(positive(env, "ASYNC_LENS_SAMPLE", DEFAULTS.sampleEvery)),
    sampledPerSecond: Math.round(nonNegative(env, "ASYNC_LENS_SAMPLE_MAX", DEFAULTS.sampledPerSecond)),
    blockThresholdMs: positive(env, "ASYNC_LENS_BLOCK_MS", DEFAULTS.blockThresholdMs),
    memoryMb: positive(env, "ASYNC_LENS_MEMORY_MB", DEFAULTS.memoryMb),
    resources: env.ASYNC_LENS_RESOURCES === "1",
    neverSettledMs: positive(env, "ASYNC_LENS_NEVER_SETTLED_MS", DEFAULTS.neverSettledMs),
    lockWaitMs: positive(env, "ASYNC_LENS_LOCK_WAIT_MS", DEFAULTS.lockWaitMs),
    lockHoldMs: positive(env, "ASYNC_LENS_LOCK_HOLD_MS", DEFAULTS.lockHoldMs),
    queueWindowMs: positive(env, "ASYNC_LENS_QUEUE_WINDOW_MS", DEFAULTS.queueWindowMs),
    keyframeMs: positive(env, "ASYNC_LENS_KEYFRAME_MS", DEFAULTS.keyframeMs),
  };
  if (env.ASYNC_LENS_TRACE) config.traceFile = env.ASYNC_LENS_TRACE;
  if (env.ASYNC_LENS_LOG) config.logFile = env.ASYNC_LENS_LOG;
  if (env.ASYNC_LENS_CONNECT) {
    const token = env.ASYNC_LENS_TOKEN;
    if (!token) throw new Error("ASYNC_LENS_CONNECT needs ASYNC_LENS_TOKEN");
    config.connect = { ...hostPort(env.ASYNC_LENS_CONNECT, "ASYNC_LENS_CONNECT"), token };
  }
  if (env.ASYNC_LENS_LISTEN) {
    config.listen = { ...hostPort(env.ASYNC_LENS_LISTEN, "ASYNC_LENS_LISTEN"), tokenFile: env.ASYNC_LENS_TOKEN_FILE || defaultTokenFile };
  }
  return config;
}
