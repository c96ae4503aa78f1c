// What task host names resolve to in the in-process tests (no real DNS): public example hosts,
// and names that point inside the network, for the SSRF guard.
export const FAKE_DNS: Record<string, string[]> = {
  'api.example.com': ['93.184.215.14'],
  'partner.example.com': ['93.184.215.15', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'metadata.example.com': ['169.254.169.254'],
  'intranet.example.com': ['93.184.215.16', '10.0.0.7'],
  'sneaky.example.com': ['::ffff:127.0.0.1'],
};

export const fakeResolveHost = async (host: string): Promise<string[]> => FAKE_DNS[host] ?? [];
