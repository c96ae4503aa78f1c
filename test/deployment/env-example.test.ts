// `.env.example` is where a newcomer learns the settings: it lists every variable the gateway reads.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvSchema } from '../../src/config/env-schema.js';

describe('.env.example', () => {
  it('lists every variable of the configuration schema', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const listed = new Set([...text.matchAll(/^#?\s*([A-Z][A-Z0-9_]+)=/gm)].map((match) => match[1]));
    const missing = Object.keys(EnvSchema.shape).filter((name) => !listed.has(name));
    expect(missing).toEqual([]);
  });
});
