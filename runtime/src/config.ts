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

/** Loopback unless said otherwise: the trace is the program's business. */
const DEFAULT_HOST = "127.0.0.1";

/** "host:port", or a bare port ("0": any free port). */
function hostPort(value: string, name: string): { host: string; port: number } {
  const at = value.lastIndexOf(":");
  const host = at < 0 ? DEFAULT_HOST : value.slice(0, at);
  const portText = value.slice(at + 1);
  const port = Number(portText);
  if (at === 0 || portText === "" || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${name} must be a port or host:port (port 0 to 65535), got ${JSON.stringify(value)}`);
  return { host, port };
}

/**
 * Reads the settings. A bad value is an error in the list returned, and its
 * setting keeps its default (or stays off): the program runs either way, and
 * the runtime records what it can.
 */
export function configFromEnv(env: NodeJS.ProcessEnv, defaultTokenFile: string): { config: RuntimeConfig; errors: string[] } {
  const errors: string[] = [];
  const number = (name: string, fallback: number, zeroAllowed: boolean): number => {
    const raw = env[name];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (Number.isFinite(n) && n >= 0 && (n > 0 || zeroAllowed)) return n;
    errors.push(`${name} must be a ${zeroAllowed ? "non-negative" : "positive"} number, got ${JSON.stringify(raw)}; using ${fallback}`);
    return fallback;
  };
  const optional = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (error) {
      errors.push(`${(error as Error).message}; ignored`);
      return undefined;
    }
  };
  const config: RuntimeConfig = {
    ...DEFAULTS,
    sampleEvery: Math.round(number("ASYNC_LENS_SAMPLE", DEFAULTS.sampleEvery, false)),
    sampledPerSecond: Math.round(number("ASYNC_LENS_SAMPLE_MAX", DEFAULTS.sampledPerSecond, true)),
    blockThresholdMs: number("ASYNC_LENS_BLOCK_MS", DEFAULTS.blockThresholdMs, false),
    memoryMb: number("ASYNC_LENS_MEMORY_MB", DEFAULTS.memoryMb, false),
    resources: env.ASYNC_LENS_RESOURCES === "1",
    neverSettledMs: number("ASYNC_LENS_NEVER_SETTLED_MS", DEFAULTS.neverSettledMs, false),
    lockWaitMs: number("ASYNC_LENS_LOCK_WAIT_MS", DEFAULTS.lockWaitMs, false),
    lockHoldMs: number("ASYNC_LENS_LOCK_HOLD_MS", DEFAULTS.lockHoldMs, false),
    queueWindowMs: number("ASYNC_LENS_QUEUE_WINDOW_MS", DEFAULTS.queueWindowMs, false),
    keyframeMs: number("ASYNC_LENS_KEYFRAME_MS", DEFAULTS.keyframeMs, false),
  };
  if (env.ASYNC_LENS_TRACE) config.traceFile = env.ASYNC_LENS_TRACE;
  if (env.ASYNC_LENS_LOG) config.logFile = env.ASYNC_LENS_LOG;
  if (env.ASYNC_LENS_CONNECT) {
    const connect = env.ASYNC_LENS_CONNECT;
    const token = env.ASYNC_LENS_TOKEN;
    if (!token) errors.push("ASYNC_LENS_CONNECT needs ASYNC_LENS_TOKEN, the editor's token; not connecting");
    else {
      const address = optional(() => hostPort(connect, "ASYNC_LENS_CONNECT"));
      if (address) config.connect = { ...address, token };
    }
  }
  if (env.ASYNC_LENS_LISTEN) {
    const listen = env.ASYNC_LENS_LISTEN;
    const address = optional(() => hostPort(listen, "ASYNC_LENS_LISTEN"));
    if (address) config.listen = { ...address, tokenFile: env.ASYNC_LENS_TOKEN_FILE || defaultTokenFile };
  }
  return { config, errors };
}
