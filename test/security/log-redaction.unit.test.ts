// The logger's redaction rules: DNIs masked keeping their ends (fields named dni, pacienteDNI or
// sub, at the top level and one level down, and DNIs in free text of error bodies), tokens and
// Authorization values, secrets and passwords blanked. Every kind of line the gateway writes: log-redaction.http.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { SEED_DNI, signMockToken } from '../../mocks/index.js';
import { createLogger, maskDni } from '../../src/observability/logger.js';

const RAW_DNIS = [SEED_DNI.ana, SEED_DNI.luis, SEED_DNI.admin];
/** A token as the users service issues them. */
const TOKEN = await signMockToken('log-redaction-unit-secret-of-32-bytes!', { dni: SEED_DNI.ana, role: 'CLIENTE' });

/** Every line the logger wrote. */
class Capture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _encoding: string, done: () => void) {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  entries = () => this.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  text = () => this.lines.join('\n');
}

describe('log redaction', () => {
  it('masks a DNI keeping its ends, and blanks what cannot be a DNI', () => {
    expect(maskDni('71234567')).toBe('71****67');
    expect(maskDni(71234567)).toBe('71****67');
    expect(maskDni('123456789012')).toBe('12********12');
    expect(maskDni('123')).toBe('***');
    expect(maskDni({ dni: '71234567' })).toBe('[redacted]');
  });

  it('fields named dni, pacienteDNI or sub are masked at the top level and one level down; tokens blanked', () => {
    const capture = new Capture();
    const logger = createLogger('info', capture);
    logger.error(
      {
        dni: SEED_DNI.ana,
        sub: SEED_DNI.ana,
        receta: { pacienteDNI: SEED_DNI.luis },
        principal: { dni: SEED_DNI.admin, sub: SEED_DNI.admin },
        headers: { authorization: `Bearer ${TOKEN}` },
        token: TOKEN,
        err: Object.assign(new Error(`failed for Bearer ${TOKEN} (${SEED_DNI.ana})`), {
          config: { headers: { Authorization: `Bearer ${TOKEN}` } },
          body: { paciente: { pacienteDNI: SEED_DNI.luis }, note: `dni ${SEED_DNI.admin}` },
        }),
      },
      'synthetic',
    );
    logger.info({ note: `free text with ${TOKEN}` }, `message with Bearer ${TOKEN}`);
    const [line] = capture.entries();
    expect(line).toMatchObject({
      dni: '71****67',
      sub: '71****67',
      receta: { pacienteDNI: '72****78' },
      principal: { dni: '70****01', sub: '70****01' },
      headers: { authorization: '[redacted]' },
      token: '[redacted]',
      err: { config: '[redacted]', body: { paciente: { pacienteDNI: '72****78' }, note: 'dni 70****01' } },
    });
    logger.info({ jwt: { secret: 'the-jwt-secret-value' }, body: { email: 'ana@botica.pe', password: 'ana12345' }, password: 'x1', secret: 'x2' }, 'config');
    expect(capture.entries()[2]).toMatchObject({ jwt: { secret: '[redacted]' }, body: { email: 'ana@botica.pe', password: '[redacted]' }, password: '[redacted]', secret: '[redacted]' });
    const text = capture.text();
    expect(text).not.toContain('the-jwt-secret-value');
    expect(text).not.toContain('ana12345');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/bearer\s+ey/i);
    for (const dni of RAW_DNIS) expect(text).not.toContain(dni);
  });
});
