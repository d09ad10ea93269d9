import { isCalendarDate } from '../../detect/recognizers/date.js';
import { holdsNumber, holdsText, StrategyOptionError, TransformFailure, type FieldTransform, type Scalar, type StrategyTarget } from '../field-transform.js';

export type Generalization = 'YEAR' | 'MONTH' | 'AGE_BAND' | 'NUMBER_BUCKET' | 'EMAIL_DOMAIN' | 'POSTAL_PREFIX' | 'GEO_GRID';

export interface GeneralizeOptions {
  to: Generalization;
  size?: number | null;
  length?: number | null;
  cell?: number | null;
}

/**
 * GENERALIZE: a coarser value of the same meaning. Each method says which field types it can
 * write into, so a YEAR on an Int field is the number 1984 and on a String field "1984", and a
 * method whose result cannot fit the field stops startup.
 */
export function generalize(given: GeneralizeOptions | undefined, target: StrategyTarget): FieldTransform {
  if (!given?.to) throw new StrategyOptionError('GENERALIZE needs generalize: { to: … }');
  const text = holdsText(target);
  const number = holdsNumber(target);
  const integer = target.type === 'Int';
  const fit = (ok: boolean, types: string) => {
    if (!ok) throw new StrategyOptionError(`GENERALIZE to ${given.to} writes ${types}; the field is ${target.type}`);
  };
  switch (given.to) {
    case 'YEAR':
      fit(text || integer, 'a String or an Int');
      return (value) => {
        const year = dateOf(value).getUTCFullYear();
        return text ? String(year) : year;
      };
    case 'MONTH':
      fit(text, 'a String');
      return (value) => dateOf(value).toISOString().slice(0, 7);
    case 'AGE_BAND': {
      fit(text, 'a String');
      const size = positive(given.size ?? 10, 'size', true);
      return (value) => {
        const age = ageOn(dateOf(value), new Date());
        if (age < 0) throw new TransformFailure('the date of birth is in the future');
        return band(age, size, true);
      };
    }
    case 'NUMBER_BUCKET': {
      fit(text || number, 'a String, Int or Float');
      const size = positive(given.size ?? 10, 'size', integer);
      return (value) => {
        const n = numberOf(value);
        const low = Math.floor(n / size) * size;
        return target.type === 'String' || target.type === 'ID' ? band(n, size, Number.isInteger(size) && Number.isInteger(n)) : low;
      };
    }
    case 'EMAIL_DOMAIN':
      fit(text, 'a String');
      return (value) => {
        const at = String(value).lastIndexOf('@');
        if (at <= 0 || at === String(value).length - 1) throw new TransformFailure('the value is not an email address');
        return String(value).slice(at + 1).toLowerCase();
      };
    case 'POSTAL_PREFIX': {
      fit(text, 'a String');
      const length = positive(given.length ?? 3, 'length', true);
      return (value) => String(value).replace(/\s+/gu, '').slice(0, length).toUpperCase();
    }
    case 'GEO_GRID': {
      fit(text || target.type === 'Float', 'a String ("lat,lng") or a Float');
      const cell = positive(given.cell ?? 0.1, 'cell', false);
      const decimals = Math.min(10, Math.max(0, Math.ceil(-Math.log10(cell))));
      const snap = (n: number) => (Math.floor(n / cell + 1e-9) * cell).toFixed(decimals);
      return (value) => {
        if (typeof value === 'number') return Number(snap(value));
        const parts = String(value).split(',');
        if (parts.length !== 2) throw new TransformFailure('the value is not a "lat,lng" pair');
        return parts.map((part) => snap(numberOf(part.trim()))).join(',');
      };
    }
    default:
      throw new StrategyOptionError('generalize.to must be YEAR, MONTH, AGE_BAND, NUMBER_BUCKET, EMAIL_DOMAIN, POSTAL_PREFIX or GEO_GRID');
  }
}

function positive(value: number, name: string, integer: boolean): number {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new StrategyOptionError(`generalize.${name} must be a ${integer ? 'whole ' : ''}number greater than 0`);
  }
  return value;
}

/** `30-39` for whole numbers; `2.5-5` (lower bound included, upper excluded) otherwise. */
function band(n: number, size: number, whole: boolean): string {
  const low = Math.floor(n / size) * size;
  return whole ? `${low}-${low + size - 1}` : `${low}-${low + size}`;
}

const ISO_DATE = /^(\d{4})-(\d{2})(?:-(\d{2}))?(?:[T ].*)?$/u;

/** ISO dates and date-times first (read as UTC, so a date never shifts a day); then what Date reads. */
function dateOf(value: Scalar): Date {
  if (typeof value === 'string') {
    const iso = ISO_DATE.exec(value.trim());
    if (iso) {
      const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3] ?? 1)];
      if (isCalendarDate(year, month, day)) return new Date(Date.UTC(year, month - 1, day));
    } else {
      const parsed = Date.parse(`${value} UTC`);
      const date = new Date(Number.isNaN(parsed) ? Date.parse(value) : parsed);
      if (!Number.isNaN(date.getTime())) return date;
    }
  }
  throw new TransformFailure('the value is not a date');
}

function ageOn(birth: Date, today: Date): number {
  let age = today.getUTCFullYear() - birth.getUTCFullYear();
  const beforeBirthday =
    today.getUTCMonth() < birth.getUTCMonth() || (today.getUTCMonth() === birth.getUTCMonth() && today.getUTCDate() < birth.getUTCDate());
  return beforeBirthday ? age - 1 : age;
}

export function numberOf(value: Scalar): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  if (!Number.isFinite(n)) throw new TransformFailure('the value is not a number');
  return n;
}
