import { Redis, type RedisOptions } from 'ioredis';
import type { DomainLogger } from '../../domain/shared/logger.js';
import type { StoreObserver } from '../lock-wait-observer.js';

/**
 * A command is refused or abandoned within this. Callers may try a failed command once more, so a
 * purchase waits at most twice this (under the contract's second) before answering 503 `redis`.
 */
export const COMMAND_TIMEOUT_MS = 400;
const HEALTH_PING_INTERVAL_MS = 1000;
/**
 * While the client is (re)connecting, a command waits this long for the connection before it is
 * refused: a process that just started, or a Redis that just came back, is not an outage.
 */
const CONNECTING_WAIT_MS = 300;

export interface RedisConnection {
  readonly client: Redis;
  /** `down` from the first failed command or health PING until the next success. */
  status(): 'up' | 'down';
  /**
   * Runs one store operation, recording its outcome for `/ready` and `/metrics`. `retryOnce`:
   * a failed command (a busy machine) is sent once more, for commands safe to repeat.
   */
  run<T>(operation: string, command: () => Promise<T>, options?: { retryOnce?: boolean }): Promise<T>;
  close(): Promise<void>;
}

/** Resolves once the client is ready, or after `timeoutMs` (the command then fails fast on its own). */
function connected(client: Redis, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off('ready', done);
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    client.once('ready', done);
  });
}

/** `redis://user:pass@host:6379/2` without the password, for logs. */
export function redactRedisUrl(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/**
 * One ioredis client per process, set to fail fast: no offline queue (a command sent while
 * disconnected is refused at once instead of replayed later as a ghost write), no retries of
 * commands in flight, a deadline per command and a reply deadline on the socket. It reconnects in
 * the background forever, so the gateway starts without Redis and recovers without a restart.
 * `rediss://` URLs use TLS; the key prefix is applied by the client to every key.
 */
export function connectRedis(
  url: string,
  keyPrefix: string,
  logger: DomainLogger,
  observer?: StoreObserver,
): RedisConnection {
  const options: RedisOptions = {
    keyPrefix,
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: COMMAND_TIMEOUT_MS,
    socketTimeout: 1000,
    connectTimeout: 1000,
    retryStrategy: (attempt) => Math.min(50 * 2 ** (attempt - 1), 500) + Math.floor(Math.random() * 100),
    ...(url.startsWith('rediss://') ? { tls: {} } : {}),
  };
  const client = new Redis(url, options);
  let healthy = false;
  const mark = (up: boolean, reason?: unknown) => {
    if (up !== healthy) {
      const fields = { store: redactRedisUrl(url), ...(reason ? { err: reason instanceof Error ? reason.message : String(reason) } : {}) };
      if (up) logger.info(fields, 'coordination store reachable');
      else logger.warn(fields, 'coordination store unreachable; purchases answer 503 redis until it is back');
    }
    healthy = up;
  };
  // Without a listener ioredis prints every connection error to the console.
  client.on('error', (error: unknown) => mark(false, error));
  client.on('ready', () => mark(true));
  client.connect().catch(() => {
    /* reconnects in the background; `status()` says down meanwhile */
  });

  const ping = setInterval(() => {
    client.ping().then(
      () => mark(true),
      (error: unknown) => mark(false, error),
    );
  }, HEALTH_PING_INTERVAL_MS);
  ping.unref();

  return {
    client,
    status: () => (healthy && client.status === 'ready' ? 'up' : 'down'),
    async run(operation, command, { retryOnce = false } = {}) {
      for (let attempt = 1; ; attempt += 1) {
        try {
          if (client.status !== 'ready') await connected(client, CONNECTING_WAIT_MS);
          const result = await command();
          observer?.onStoreOperation(operation, 'ok');
          return result;
        } catch (error) {
          observer?.onStoreOperation(operation, 'error');
          // A server error reply (wrong type, script error) is a bug, not an outage: never retried.
          const reply = error instanceof Error && error.name === 'ReplyError';
          if (!reply) mark(false, error);
          if (reply || !retryOnce || attempt >= 2) throw error;
        }
      }
    },
    async close() {
      clearInterval(ping);
      client.disconnect();
    },
  };
}
