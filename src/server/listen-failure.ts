/**
 * One line for a newcomer when the gateway cannot listen, with the fix when the port is taken
 * (`command` is how they started it: `npm start`, `npm run demo`), instead of a stack trace.
 */
export function listenFailureMessage(error: NodeJS.ErrnoException, host: string, port: number, command: string): string {
  if (error.code === 'EADDRINUSE') {
    return `port ${port} on ${host} is already in use; start on another port: PORT=${port + 1} ${command}`;
  }
  if (error.code === 'EACCES') {
    return `no permission to listen on port ${port} on ${host}; use a port above 1023: PORT=8888 ${command}`;
  }
  return `cannot listen on ${host}:${port}: ${error.code ?? error.message}`;
}
