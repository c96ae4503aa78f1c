import type { Product } from '../../upstreams/productos/productos-client.js';
import type { Doctor, Prescription } from '../../upstreams/recetas/recetas-client.js';
import type { prescriptionDateProblem } from '../shared/dates.js';

/** Names compare equal ignoring accents, case and repeated spaces ("Amoxicilina" = "amoxicilína"). */
export function normalizeName(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export interface ProductProblem {
  id: number;
  nombre: string;
  motivo: 'not_found' | 'name_mismatch';
  nombre_registrado?: string;
}

export function productProblems(receta: Prescription, products: ReadonlyMap<number, Product | null>): ProductProblem[] {
  const problems: ProductProblem[] = [];
  for (const item of receta.productos) {
    const product = products.get(item.id);
    if (!product) problems.push({ id: item.id, nombre: item.nombre, motivo: 'not_found' });
    else if (normalizeName(product.nombre) !== normalizeName(item.nombre)) {
      problems.push({ id: item.id, nombre: item.nombre, motivo: 'name_mismatch', nombre_registrado: product.nombre });
    }
  }
  return problems;
}

export function doctorProblem(doctor: Doctor | null): 'not_registered' | 'invalid_licence' | null {
  if (!doctor) return 'not_registered';
  return doctor.colegiaturaValida ? null : 'invalid_licence';
}

export interface CheckOutcome {
  productProblems: ProductProblem[];
  doctor: ReturnType<typeof doctorProblem>;
  patientExists: boolean;
  date: ReturnType<typeof prescriptionDateProblem>;
}

/** The 422 details: which checks failed and why; empty `checks_fallidos` means valid. */
export function describeFailures(receta: Prescription, outcome: CheckOutcome) {
  const failed: string[] = [];
  const details: Record<string, unknown> = {};
  if (receta.productos.length === 0 || outcome.productProblems.length > 0) {
    failed.push('productos');
    details.productos = receta.productos.length === 0 ? 'la receta no lista productos' : outcome.productProblems;
  }
  if (outcome.doctor) {
    failed.push('medico');
    details.medico = { medicoCMP: receta.medicoCMP, motivo: outcome.doctor };
  }
  if (!outcome.patientExists) {
    failed.push('paciente');
    details.paciente = { pacienteDNI: receta.pacienteDNI, motivo: 'not_registered' };
  }
  if (outcome.date) {
    failed.push('fecha');
    details.fecha = { fechaEmision: receta.fechaEmision, motivo: outcome.date };
  }
  return { checks_fallidos: failed, ...details };
}
