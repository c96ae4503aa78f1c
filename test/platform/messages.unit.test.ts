import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { languageOf } from '../../src/http/language.js';
import { CATALOG_EN } from '../../src/messages/catalog-en.js';
import { CATALOG_ES } from '../../src/messages/catalog-es.js';
import { describeZodIssue, translate } from '../../src/messages/messages.js';
import { checkOfRefusal, isServiceNotFound } from '../../src/upstreams/recetas/validar-messages.js';

describe('the message catalogues', () => {
  it('have the same keys in Spanish and English, every text non-empty', () => {
    expect(Object.keys(CATALOG_EN).sort()).toEqual(Object.keys(CATALOG_ES).sort());
    for (const text of [...Object.values(CATALOG_ES), ...Object.values(CATALOG_EN)]) expect(text.trim()).not.toBe('');
  });

  it('use the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const key of Object.keys(CATALOG_ES) as Array<keyof typeof CATALOG_ES>) {
      expect(placeholders(CATALOG_EN[key]), key).toEqual(placeholders(CATALOG_ES[key]));
    }
  });

  it("carry the contract's own texts in both languages", () => {
    expect([translate('es', 'text.prescription_validated'), translate('en', 'text.prescription_validated')]).toEqual([
      'Receta validada y actualizada exitosamente',
      'Prescription validated and updated',
    ]);
    expect([translate('es', 'text.prescription_state_updated'), translate('en', 'text.prescription_state_updated')]).toEqual([
      'Estado de receta actualizado',
      'Prescription state updated',
    ]);
    expect([translate('es', 'text.product_unavailable'), translate('en', 'text.product_unavailable')]).toEqual([
      'Producto no disponible',
      'Product not available',
    ]);
  });

  it('fills placeholders from params and leaves unknown ones visible', () => {
    expect(translate('es', 'stock.insufficient', { nombre: 'Loratadina 10mg' })).toBe('Stock insuficiente de Loratadina 10mg');
    expect(translate('en', 'upstream.timeout', {})).toBe('The {service} service did not answer in time');
  });

  it("words zod's own issues with zod's catalogue, naming the type received", () => {
    const result = z.object({ cantidad: z.int() }).safeParse({ cantidad: 'dos' });
    const issue = result.error?.issues[0];
    if (!issue) throw new Error('expected an issue');
    expect(describeZodIssue('es', issue, 'dos')).toBe('Entrada inválida: se esperaba número, recibido texto');
    expect(describeZodIssue('en', issue, 'dos')).toBe('Invalid input: expected number, received string');
  });

  it('words our schemas\' own messages (catalogue keys) with their bounds', () => {
    const result = z.array(z.number()).max(2, 'issue.batch_max').safeParse([1, 2, 3]);
    const issue = result.error?.issues[0];
    if (!issue) throw new Error('expected an issue');
    expect(describeZodIssue('es', issue, [1, 2, 3])).toBe('envíe como máximo 2 facturas por lote');
  });
});

describe('languageOf (Accept-Language, RFC 4647 lookup among es and en)', () => {
  const app = new Hono().get('/', (c) => c.text(languageOf(c)));
  const pick = async (header?: string) =>
    (await app.request('/', header === undefined ? {} : { headers: { 'accept-language': header } })).text();

  it.each([
    [undefined, 'es'],
    ['', 'es'],
    ['*', 'es'],
    ['fr', 'es'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['EN-gb', 'en'],
    ['es-PE,es;q=0.9,en;q=0.8', 'es'],
    ['fr, en;q=0.8', 'en'],
    ['es;q=0.5, en;q=0.9', 'en'],
    ['en;q=0, es', 'es'],
    ['en;q=0', 'es'],
  ])('%j -> %s', async (header, language) => {
    expect(await pick(header)).toBe(language);
  });
});

describe('validar refusals mapped to checks', () => {
  it.each([
    ['CMP no registrado o colegiatura no válida', 'medico'],
    ['cmp no registrado o colegiatura no valida', 'medico'],
    ['La fecha de emisión no puede ser futura', 'fecha'],
    ['La receta ha expirado (validez 30 días)', 'fecha'],
    ['LA RECETA HA EXPIRADO (validez 90 dias)', 'fecha'],
    ['PDF incompleto o inválido', 'documento'],
    ['La receta no tiene archivo PDF asociado.', 'documento'],
    ['Producto inválido en el PDF', 'documento'],
    ['ID de receta inválido', 'servicio'],
    ['Something else entirely', 'servicio'],
  ])('%s -> %s', (error, check) => {
    expect(checkOfRefusal({ error, detalle: {} })).toBe(check);
  });

  it('treats a body without an error message as the service\'s own failure', () => {
    expect(checkOfRefusal('<html>')).toBe('servicio');
    expect(checkOfRefusal({ message: 'x' })).toBe('servicio');
  });

  it("tells the service's 404 from Express's HTML page", () => {
    expect(isServiceNotFound({ error: 'Receta no encontrada' })).toBe(true);
    expect(isServiceNotFound('<!DOCTYPE html><pre>Cannot PUT /x</pre>')).toBe(false);
    expect(isServiceNotFound({ detail: 'Not Found' })).toBe(false);
  });
});
