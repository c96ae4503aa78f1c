/** The METRICS_PORT listener could not start (start-server.ts): the message names that variable. */
export class MetricsPortListenFailure extends Error {
  constructor(
    readonly port: number,
    override readonly cause: NodeJS.ErrnoException,
  ) {
    super(`cannot listen on METRICS_PORT ${port}: ${cause.code ?? cause.message}`, { cause });
    this.name = 'MetricsPortListenFailure';
  }
}

/**
 * One line for a newcomer when the gateway cannot listen, with the fix when the port is taken
 * (`command` is how they started it: `npm start`, `npm run demo`), instead of a stack trace.
 * `variable` is the setting that chose the port (`PORT`, or `METRICS_PORT`).
 */
export function listenFailureMessage(
  error: NodeJS.ErrnoException,
  host: string,
  port: number,
  command: string,
  variable: 'PORT' | 'METRICS_PORT' = 'PORT',
): string {
  if (error instanceof MetricsPortListenFailure) return listenFailureMessage(error.cause, host, error.port, command, 'METRICS_PORT');
  if (error.code === 'EADDRINUSE') {
    return `port ${port} on ${host} is already in use; start on another port: ${variable}=${port + 1} ${command}`;
  }
  if (error.code === 'EACCES') {
    const suggestion = variable === 'PORT' ? 8888 : 9464;
    return `no permission to listen on port ${port} on ${host}; use a port above 1023: ${variable}=${suggestion} ${command}`;
  }
  return `cannot listen on ${host}:${port}${variable === 'PORT' ? '' : ` (${variable})`}: ${error.code ?? error.message}`;
}
