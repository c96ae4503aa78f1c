/** The gateway's name of the check a `validar` refusal is about (`checks_fallidos`). */
export type ServiceCheck = 'medico' | 'fecha' | 'documento' | 'servicio';

/**
 * The `validar` generation answers a failed check with 400 `{"error": "<message>"}`; these are
 * its messages, matched by prefix ignoring accents and case (the expiry one ends in the days).
 */
const MESSAGE_CHECKS: ReadonlyArray<[prefix: string, check: ServiceCheck]> = [
  ['CMP no registrado o colegiatura no válida', 'medico'],
  ['La fecha de emisión no puede ser futura', 'fecha'],
  ['La receta ha expirado', 'fecha'],
  ['PDF incompleto o inválido', 'documento'],
  ['La receta no tiene archivo PDF asociado', 'documento'],
  ['Producto inválido en el PDF', 'documento'],
];

const fold = (text: string) =>
  text
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .trim();

const FOLDED = MESSAGE_CHECKS.map(([prefix, check]) => [fold(prefix), check] as const);

/** Which check a refusal message names; any other message (or none) is the service's own: `servicio`. */
export function checkOfRefusal(body: unknown): ServiceCheck {
  const message = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
  if (typeof message !== 'string') return 'servicio';
  const folded = fold(message);
  return FOLDED.find(([prefix]) => folded.startsWith(prefix))?.[1] ?? 'servicio';
}

/** Express's own 404 for an unknown route is HTML; the service's 404s are `{"error": ...}` JSON. */
export function isServiceNotFound(body: unknown): boolean {
  return typeof body === 'object' && body !== null && typeof (body as { error?: unknown }).error === 'string';
}
