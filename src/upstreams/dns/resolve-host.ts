import { lookup } from 'node:dns/promises';
/** Every address of `host` (`dns.lookup` with `all`), or none when it fails or takes longer than `timeoutMs`. */
export const resolveHost = async (host: string, timeoutMs: number): Promise<string[]> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string[]>((resolve) => {
    timer = setTimeout(() => resolve([]), timeoutMs);
  });
  try {
    const found = lookup(host, { all: true, verbatim: true }).then(
      (addresses) => addresses.map((entry) => entry.address),
      () => [],
    );
    return await Promise.race([found, timeout]);
  } finally {
    clearTimeout(timer);
  }
};
