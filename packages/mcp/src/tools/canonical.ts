// Canonical tools: the canonical data model a mapping targets — the types and their fields, record validation,
// one native record through a stored stream's mapping, and deterministic mapping suggestions from a sample.
import {
  CanonicalErrorCode,
  canonicalJsonSchema,
  DECIMAL_PATTERN,
  getCanonicalType,
  listCanonicalTypes,
  PullPushError,
  typeRef,
  validateCanonical,
  type CanonicalTypeDefinition,
} from '@pullpush/canonical';
import { mapNativeRecord } from '@pullpush/engine';
import Type from 'typebox';
import { McpErrorCode } from '../errors.ts';
import { defineTool, READ_ONLY } from '../tool.ts';
import { closestName, compact, DefinitionId, Issue, JsonObject, Revision, FreeObject } from './schemas.ts';

type Json = Record<string, unknown>;
type Schema = Record<string, unknown>;

const TypeRef = Type.String({ minLength: 1, maxLength: 100, description: 'Canonical type: "commerce.order@1", or "commerce.order" for its latest version.' });

function domainOf(definition: Pick<CanonicalTypeDefinition, 'name'>): string {
  return definition.name.split('.')[0] ?? definition.name;
}

/** The canonical type `ref` names; MCP_NOT_FOUND with a did-you-mean when there is none. */
export function canonicalType(ref: string): CanonicalTypeDefinition {
  try {
    return getCanonicalType(ref);
  } catch (error) {
    if (!(error instanceof PullPushError) || error.code !== CanonicalErrorCode.UnknownType) throw error;
    const names = [...new Set(listCanonicalTypes().map((definition) => definition.name))];
    const name = ref.split('@')[0] ?? ref;
    if (names.includes(name)) throw new PullPushError(McpErrorCode.NotFound, error.message, error.hint === undefined ? {} : { hint: error.hint });
    const suggestion = closestName(name, names);
    throw new PullPushError(McpErrorCode.NotFound, `No canonical type "${ref}".`, {
      hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Types: ${names.join(', ')} (list_canonical_types describes them).`,
    });
  }
}

// ── fields of a canonical type ─────────────────────────────────────────────────────────────────────────────

type FieldKind =
  | 'money'
  | 'enum'
  | 'choice'
  | 'timestamp'
  | 'date'
  | 'decimal'
  | 'email'
  | 'url'
  | 'currency'
  | 'country'
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'array'
  | 'object'
  | 'map'
  | 'unknown';

interface CanonicalField {
  path: string;
  kind: FieldKind;
  label: string;
  required: boolean;
  nullable: boolean;
  description: string;
  /** Inside an array (lines[].sku): not mappable by a path of its own. */
  inArray: boolean;
  values: string[];
  itemKind?: FieldKind;
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typesOf(schema: Schema): string[] {
  const type = schema['type'];
  return Array.isArray(type) ? (type as string[]) : typeof type === 'string' ? [type] : [];
}

function nonNull(schema: Schema): Schema {
  const anyOf = schema['anyOf'];
  if (Array.isArray(anyOf)) return (anyOf.find((branch) => isSchema(branch) && branch['type'] !== 'null') as Schema | undefined) ?? schema;
  return schema;
}

function isNullable(schema: Schema): boolean {
  if (typesOf(schema).includes('null')) return true;
  return Array.isArray(schema['anyOf']) && schema['anyOf'].some((branch) => isSchema(branch) && branch['type'] === 'null');
}

function kindOf(schema: Schema): { kind: FieldKind; values: string[] } {
  const branch = nonNull(schema);
  const properties = isSchema(branch['properties']) ? branch['properties'] : undefined;
  if (properties && 'amount' in properties && 'currency' in properties) return { kind: 'money', values: [] };
  const value = properties?.['value'];
  if (properties && 'native' in properties && isSchema(value) && Array.isArray(value['enum'])) return { kind: 'enum', values: value['enum'].map(String) };
  if (Array.isArray(branch['enum'])) return { kind: 'choice', values: branch['enum'].filter((entry) => entry !== null).map(String) };
  const types = typesOf(branch).filter((type) => type !== 'null');
  if (types.includes('array')) return { kind: 'array', values: [] };
  if (types.includes('object')) return { kind: properties ? 'object' : 'map', values: [] };
  if (types.includes('string')) {
    if (branch['format'] === 'date-time') return { kind: 'timestamp', values: [] };
    if (branch['format'] === 'date') return { kind: 'date', values: [] };
    if (branch['pattern'] === DECIMAL_PATTERN) return { kind: 'decimal', values: [] };
    if (branch['format'] === 'email') return { kind: 'email', values: [] };
    if (branch['format'] === 'uri') return { kind: 'url', values: [] };
    if (branch['pattern'] === '^[A-Z]{3}$') return { kind: 'currency', values: [] };
    if (branch['pattern'] === '^[A-Z]{2}$') return { kind: 'country', values: [] };
    return { kind: 'string', values: [] };
  }
  if (types.includes('integer')) return { kind: 'integer', values: [] };
  if (types.includes('number')) return { kind: 'number', values: [] };
  if (types.includes('boolean')) return { kind: 'boolean', values: [] };
  return { kind: 'unknown', values: [] };
}

const LABELS: Record<FieldKind, string> = {
  money: 'money { amount: decimal string, currency: ISO 4217 }',
  enum: 'enum',
  choice: 'one of',
  timestamp: 'timestamp (ISO 8601 UTC)',
  date: 'date (YYYY-MM-DD)',
  decimal: 'decimal string',
  email: 'email',
  url: 'url',
  currency: 'currency code (ISO 4217)',
  country: 'country code (ISO 3166-1 alpha-2)',
  string: 'string',
  integer: 'integer',
  number: 'number',
  boolean: 'boolean',
  array: 'array',
  object: 'object',
  map: 'object (any keys)',
  unknown: 'any',
};

function labelOf(schema: Schema): string {
  const { kind, values } = kindOf(schema);
  if (kind === 'enum') return `enum { value: ${values.join(' | ')}, native }`;
  if (kind === 'choice') return values.join(' | ');
  if (kind === 'array') {
    const items = nonNull(schema)['items'];
    return isSchema(items) ? `array of ${kindOf(items).kind === 'object' ? 'object' : labelOf(items)}` : 'array';
  }
  return LABELS[kind];
}

/** Every field of a type, depth first in schema order: nested objects as dotted paths, array items as `[]`. */
export function canonicalFields(definition: CanonicalTypeDefinition): CanonicalField[] {
  const out: CanonicalField[] = [];
  const walk = (schema: Schema, prefix: string, inArray: boolean): void => {
    const branch = nonNull(schema);
    const properties = isSchema(branch['properties']) ? branch['properties'] : {};
    const required = Array.isArray(branch['required']) ? (branch['required'] as string[]) : [];
    for (const [name, child] of Object.entries(properties)) {
      if (!isSchema(child)) continue;
      const path = `${prefix}${name}`;
      const { kind, values } = kindOf(child);
      const items = nonNull(child)['items'];
      out.push({
        path,
        kind,
        label: labelOf(child),
        required: required.includes(name),
        nullable: isNullable(child),
        description: typeof child['description'] === 'string' ? child['description'] : '',
        inArray,
        values: values.filter((value) => value !== 'other'),
        ...(kind === 'array' && isSchema(items) ? { itemKind: kindOf(items).kind } : {}),
      });
      if (kind === 'object') walk(child, `${path}.`, inArray);
      else if (kind === 'array' && isSchema(items) && kindOf(items).kind === 'object') walk(items, `${path}[].`, true);
    }
  };
  walk(definition.schema as unknown as Schema, '', false);
  return out;
}

const FIELD_NOTES: Record<string, string> = {
  id: 'filled by the engine (the canonical key); never mapped',
  remote: 'filled by the engine (source identity; remote.id from the stream primaryKey)',
  deleted: 'defaults to false; map it only when the source marks deletions',
  custom: 'source-specific fields, from mapping.custom',
  raw: 'the native record, with mapping.keepRaw',
};

function noteOf(path: string): string | undefined {
  return FIELD_NOTES[path] ?? (path.startsWith('remote.') ? FIELD_NOTES['remote'] : undefined);
}

// ── mapping suggestions ────────────────────────────────────────────────────────────────────────────────────

type NativeKind =
  | 'null'
  | 'boolean'
  | 'integer'
  | 'number'
  | 'decimal-string'
  | 'datetime-string'
  | 'date-string'
  | 'email-string'
  | 'url-string'
  | 'code-string'
  | 'string'
  | 'array'
  | 'object';

interface NativeField {
  path: string;
  pointer: string;
  segments: string[];
  value: unknown;
  kind: NativeKind;
  leaf: boolean;
  order: number;
}

const MAX_NATIVE_FIELDS = 1000;
const MAX_DEPTH = 6;
const JSONATA_WORDS = new Set(['and', 'or', 'in', 'true', 'false', 'null', 'function']);

function pathSegment(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !JSONATA_WORDS.has(key) ? key : `\`${key}\``;
}

function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const UTC_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const DECIMAL = new RegExp(DECIMAL_PATTERN);

function nativeKind(value: unknown): NativeKind {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return 'object';
  if (typeof value !== 'string') return 'string';
  if (DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return 'datetime-string';
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(value))) return 'date-string';
  if (DECIMAL.test(value) && value.length <= 64) return 'decimal-string';
  if (/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) return 'email-string';
  if (/^https?:\/\/\S+$/i.test(value)) return 'url-string';
  if (/^[A-Za-z]{2,3}$/.test(value)) return 'code-string';
  return 'string';
}

/** Every field of the sample: objects are walked (and are candidates themselves), arrays and scalars are leaves. */
function nativeFields(sample: unknown): NativeField[] {
  const out: NativeField[] = [];
  const walk = (value: unknown, segments: string[]): void => {
    if (!isSchema(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (out.length >= MAX_NATIVE_FIELDS) return;
      if (key === '' || key.includes('`')) continue;
      const path = [...segments, key];
      const kind = nativeKind(child);
      const walkable = kind === 'object' && Object.keys(child as Json).length > 0 && path.length < MAX_DEPTH;
      out.push({ path: path.map(pathSegment).join('.'), pointer: path.map((segment) => `/${escapePointer(segment)}`).join(''), segments: path, value: child, kind, leaf: !walkable, order: out.length });
      if (walkable) walk(child, path);
    }
  };
  walk(sample, []);
  return out;
}

function tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((token) => token !== '');
}

function normal(name: string): string {
  return tokens(name).join('');
}

/** Canonical field name (normalised: lower case, no separators) → native names that usually mean the same. */
const SYNONYMS: Record<string, readonly string[]> = {
  createdat: ['created', 'createdon', 'createddate', 'datecreated', 'creationdate', 'createtime', 'createdtime', 'creationtime', 'insertedat', 'addedat', 'dateadded'],
  updatedat: ['updated', 'updatedon', 'updatedtime', 'modified', 'modifiedat', 'modifiedon', 'lastmodified', 'lastmodifiedat', 'lastupdated', 'lastupdatedat', 'dateupdated', 'datemodified', 'changedat', 'updatetime'],
  deleted: ['isdeleted', 'deletedflag', 'removed', 'isremoved'],
  email: ['emailaddress', 'mail', 'primaryemail', 'emailid', 'contactemail', 'customeremail'],
  phone: ['phonenumber', 'telephone', 'tel', 'mobile', 'mobilephone', 'phoneno', 'cell'],
  quantity: ['qty', 'quantityordered', 'units', 'onhand', 'quantityonhand', 'stock', 'inventoryquantity', 'count'],
  sku: ['skucode', 'itemcode', 'productcode', 'articlenumber', 'partnumber', 'itemnumber'],
  unitprice: ['price', 'unitamount', 'priceperunit', 'rate', 'itemprice', 'unitcost'],
  price: ['unitprice', 'amount', 'listprice', 'saleprice', 'retailprice'],
  firstname: ['givenname', 'fname', 'forename', 'first'],
  lastname: ['familyname', 'surname', 'lname', 'last'],
  fullname: ['name', 'displayname', 'contactname'],
  name: ['title', 'displayname', 'label', 'fullname'],
  title: ['name', 'subject', 'headline', 'summary'],
  description: ['body', 'bodyhtml', 'details', 'desc', 'summary', 'content'],
  note: ['notes', 'comment', 'comments', 'memo', 'remark', 'remarks'],
  number: ['ordernumber', 'orderno', 'invoicenumber', 'reference', 'ref', 'displaynumber', 'documentnumber'],
  status: ['state', 'stage'],
  paymentstatus: ['financialstatus', 'paystatus', 'paymentstate'],
  fulfillmentstatus: ['shippingstatus', 'deliverystatus', 'fulfilmentstatus', 'shipmentstatus'],
  postalcode: ['zip', 'zipcode', 'postcode', 'postal'],
  line1: ['address1', 'street', 'street1', 'addressline1', 'streetaddress'],
  line2: ['address2', 'street2', 'addressline2', 'suite'],
  region: ['province', 'state', 'county', 'stateprovince', 'provincecode', 'statecode'],
  country: ['countrycode', 'countryiso', 'countryiso2'],
  city: ['town', 'locality'],
  company: ['companyname', 'organization', 'organisation', 'org', 'business'],
  customerid: ['customer', 'buyerid', 'clientid'],
  currency: ['currencycode', 'curr', 'currencyiso'],
  total: ['totalprice', 'grandtotal', 'amounttotal', 'totalamount', 'amount', 'totalincltax'],
  subtotal: ['subtotalprice', 'subtotalamount', 'totalbeforetax', 'netamount'],
  tax: ['totaltax', 'taxamount', 'vat', 'taxtotal'],
  discount: ['totaldiscounts', 'totaldiscount', 'discountamount', 'discounts'],
  shipping: ['shippingprice', 'shippingamount', 'totalshipping', 'shippingcost', 'freight'],
  refunded: ['totalrefunded', 'refundedamount', 'amountrefunded'],
  placedat: ['orderedat', 'orderdate', 'processedat', 'submittedat', 'placedon', 'purchasedat'],
  cancelledat: ['canceledat', 'cancelledon', 'canceledon', 'cancellationdate'],
  closedat: ['completedat', 'closedon', 'closeddate', 'finishedat'],
  tags: ['tag', 'labels', 'keywords'],
  lines: ['lineitems', 'items', 'orderlines', 'orderitems', 'entries'],
  jobtitle: ['title', 'position', 'role'],
  companyid: ['accountid', 'organizationid', 'organisationid', 'company'],
  ownerid: ['owner', 'assigneeid', 'assignee', 'ownerid'],
  vendor: ['brand', 'manufacturer', 'supplier'],
  producttype: ['type', 'category', 'kind'],
  handle: ['slug', 'urlkey'],
  publishedat: ['published', 'releasedat', 'publishdate'],
  url: ['link', 'href', 'permalink', 'weburl', 'htmlurl'],
  locale: ['language', 'lang'],
  amount: ['value', 'sum', 'total'],
  active: ['isactive', 'enabled'],
  acceptsmarketing: ['marketingoptin', 'optin', 'subscribed', 'newsletter', 'emailoptin'],
  totalspent: ['lifetimevalue', 'ltv', 'spent', 'totalsales'],
  orderscount: ['ordercount', 'numberoforders', 'orders'],
  productid: ['product'],
  variantid: ['variant'],
  locationid: ['location', 'warehouseid', 'storeid', 'warehouse'],
  available: ['availablequantity', 'quantityavailable', 'available'],
  billingaddress: ['billing', 'billto', 'billingaddr'],
  shippingaddress: ['shipping', 'shipto', 'deliveryaddress', 'shippingaddr'],
  duedate: ['due', 'dueat', 'paymentdue'],
};

const GENERIC_TOKENS = new Set(['id', 'at', 'on', 'is', 'has', 'date', 'time', 'name', 'type', 'code', 'number', 'no', 'count', 'value', 'status', 'key', 'url', 'the', 'of']);

interface NameMatch {
  score: number;
  reason: string;
}

function nameMatch(canonical: string, native: string): NameMatch | undefined {
  if (canonical === native) return { score: 1, reason: 'exact name' };
  const c = normal(canonical);
  const n = normal(native);
  if (c === '' || n === '') return undefined;
  if (c === n) return { score: 0.95, reason: `same name in another case (${native} ↔ ${canonical})` };
  if (Object.hasOwn(SYNONYMS, c) && SYNONYMS[c]?.includes(n)) return { score: 0.85, reason: `synonym (${native} → ${canonical})` };
  const ct = tokens(canonical);
  const nt = tokens(native);
  const [small, large] = ct.length <= nt.length ? [ct, nt] : [nt, ct];
  if (small.some((token) => !GENERIC_TOKENS.has(token)) && small.every((token) => large.includes(token))) {
    return { score: 0.6, reason: `partial name match (${native} ~ ${canonical})` };
  }
  return undefined;
}

/**
 * How well the places of two fields agree. `structured`: the sample has an object matching the canonical parent
 * (billing_address for billingAddress), so a top-level native field is not a flattened form of the nested one.
 */
function parentFactor(canonicalParent: string[], nativeParent: string[], structured: boolean): { factor: number; note?: string } {
  if (canonicalParent.length === 0 && nativeParent.length === 0) return { factor: 1 };
  if (canonicalParent.length === 0) return { factor: 0.7, note: `nested in ${nativeParent.join('.')}` };
  if (nativeParent.length === 0) {
    return structured ? { factor: 0 } : { factor: 0.75, note: `top level in the sample, nested under ${canonicalParent.join('.')} in canonical` };
  }
  const match = nameMatch(canonicalParent.at(-1) as string, nativeParent.at(-1) as string);
  if (match && match.score >= 0.85) return { factor: 1 };
  if (match) return { factor: 0.8, note: `parent ${nativeParent.join('.')} ~ ${canonicalParent.join('.')}` };
  return { factor: 0.5, note: `parent ${nativeParent.join('.')} differs from ${canonicalParent.join('.')}` };
}

interface Fit {
  factor: number;
  note: string;
  mapping?: Json;
}

const currencies = new Set(Intl.supportedValuesOf('currency'));

function guard(path: string, expression: string, nullable: boolean): string {
  return nullable ? `${path} = null ? null : ${expression}` : expression;
}

function isUnixSeconds(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 946_684_800 && value <= 4_102_444_800;
}

function isUnixMillis(value: unknown): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= 946_684_800_000 && value <= 4_102_444_800_000;
}

/** How well a native value fits a canonical field, and the mapping that converts it. */
function fit(field: CanonicalField, native: NativeField, currencyPath: string | undefined): Fit {
  const p = native.path;
  const { kind } = native;
  const value = native.value;
  if (kind === 'null') return { factor: 0.6, note: 'the sample value is null, so its type could not be checked', mapping: { path: p } };
  switch (field.kind) {
    case 'timestamp':
      if (kind === 'datetime-string') {
        return UTC_TIMESTAMP.test(value as string)
          ? { factor: 1, note: 'an ISO 8601 UTC date-time fits a timestamp', mapping: { path: p } }
          : { factor: 0.9, note: 'a date-time string, converted to UTC', mapping: { expr: guard(p, `$fromMillis($toMillis(${p}))`, true) } };
      }
      if (isUnixSeconds(value)) return { factor: 0.85, note: 'Unix seconds, converted to ISO 8601', mapping: { expr: guard(p, `$fromMillis(${p} * 1000)`, true) } };
      if (isUnixMillis(value)) return { factor: 0.85, note: 'Unix milliseconds, converted to ISO 8601', mapping: { expr: guard(p, `$fromMillis(${p})`, true) } };
      if (kind === 'date-string') return { factor: 0.6, note: 'a date without time, taken as midnight UTC', mapping: { expr: guard(p, `${p} & 'T00:00:00Z'`, true) } };
      return { factor: 0, note: 'not a date-time' };
    case 'date':
      if (kind === 'date-string') return { factor: 1, note: 'a YYYY-MM-DD date', mapping: { path: p } };
      if (kind === 'datetime-string') return { factor: 0.8, note: 'a date-time, cut to its date', mapping: { expr: guard(p, `$substring(${p}, 0, 10)`, true) } };
      return { factor: 0, note: 'not a date' };
    case 'money': {
      const amountNote = currencyPath ? `currency from ${currencyPath}` : 'no currency field in the sample: complete { amount, currency } with the record\'s currency';
      if (kind === 'decimal-string') {
        return currencyPath
          ? { factor: 0.9, note: `a decimal string as the amount, ${amountNote}`, mapping: { expr: guard(p, `{ 'amount': ${p}, 'currency': ${currencyPath} }`, true) } }
          : { factor: 0.8, note: `a decimal string as the amount; ${amountNote}` };
      }
      if (kind === 'integer' || kind === 'number') {
        const note = `a JSON number as the amount (check the unit: cents need dividing by 100), ${amountNote}`;
        return currencyPath ? { factor: 0.75, note, mapping: { expr: guard(p, `{ 'amount': $string(${p}), 'currency': ${currencyPath} }`, true) } } : { factor: 0.65, note };
      }
      if (kind === 'object' && isSchema(value) && typeof value['amount'] === 'string' && DECIMAL.test(value['amount']) && typeof value['currency'] === 'string' && currencies.has(value['currency'])) {
        return { factor: 1, note: 'already { amount, currency }', mapping: { path: p } };
      }
      return { factor: 0, note: 'not an amount' };
    }
    case 'decimal':
      if (kind === 'decimal-string') return { factor: 1, note: 'a decimal string', mapping: { path: p } };
      if (kind === 'integer' || kind === 'number') return { factor: 0.8, note: 'a JSON number, written as a decimal string', mapping: { expr: guard(p, `$string(${p})`, true) } };
      return { factor: 0, note: 'not a number' };
    case 'enum': {
      if (kind !== 'string' && kind !== 'code-string' && kind !== 'boolean' && kind !== 'integer') return { factor: 0, note: 'not an enum value' };
      const list = field.values.map((entry) => `'${entry}'`).join(', ');
      const text = typeof value === 'string' ? value.toLowerCase() : String(value);
      const known = field.values.includes(text);
      const source = typeof value === 'string' ? `$lowercase(${p})` : `$string(${p})`;
      const expression = `{ 'value': ${source} in [${list}] ? ${source} : 'other', 'native': ${typeof value === 'string' ? p : `$string(${p})`} }`;
      return {
        factor: typeof value === 'string' ? (known ? 1 : 0.8) : 0.4,
        note: known ? `"${text}" is a value of the enum` : `an enum: values the model does not name become "other", the native value is kept`,
        mapping: { expr: guard(p, expression, field.nullable) },
      };
    }
    case 'choice':
      if (typeof value === 'string' && field.values.includes(value)) return { factor: 1, note: `"${value}" is an allowed value`, mapping: { path: p } };
      return typeof value === 'string' ? { factor: 0.5, note: `allowed values: ${field.values.join(', ')}` } : { factor: 0, note: 'not one of the allowed values' };
    case 'email':
      if (kind === 'email-string') return { factor: 1, note: 'an email address', mapping: { path: p } };
      return kind === 'string' ? { factor: 0.5, note: 'a string that does not look like an email address', mapping: { path: p } } : { factor: 0, note: 'not an email address' };
    case 'url':
      if (kind === 'url-string') return { factor: 1, note: 'a URL', mapping: { path: p } };
      return kind === 'string' ? { factor: 0.4, note: 'a string that does not look like a URL', mapping: { path: p } } : { factor: 0, note: 'not a URL' };
    case 'currency':
      if (kind === 'code-string' && currencies.has(value as string)) return { factor: 1, note: 'an ISO 4217 code', mapping: { path: p } };
      if (kind === 'code-string' && currencies.has((value as string).toUpperCase())) return { factor: 0.9, note: 'a lower-case currency code, upper-cased', mapping: { expr: guard(p, `$uppercase(${p})`, true) } };
      return { factor: 0, note: 'not an ISO 4217 code' };
    case 'country':
      if (kind === 'code-string' && /^[A-Z]{2}$/.test(value as string)) return { factor: 1, note: 'an ISO 3166 alpha-2 code', mapping: { path: p } };
      if (kind === 'code-string' && /^[a-z]{2}$/i.test(value as string)) return { factor: 0.9, note: 'a country code, upper-cased', mapping: { expr: guard(p, `$uppercase(${p})`, true) } };
      return kind === 'string' ? { factor: 0.3, note: 'a country name: canonical wants the ISO 3166-1 alpha-2 code' } : { factor: 0, note: 'not a country code' };
    case 'string':
      if (kind === 'array' || kind === 'object') return { factor: 0, note: 'not text' };
      if (kind === 'integer' || kind === 'number') return { factor: 0.8, note: 'a number, written as text', mapping: { expr: guard(p, `$string(${p})`, field.nullable) } };
      if (kind === 'boolean') return { factor: 0.3, note: 'a boolean, written as text', mapping: { expr: guard(p, `$string(${p})`, field.nullable) } };
      return { factor: 1, note: 'text', mapping: { path: p } };
    case 'integer':
      if (kind === 'integer') return { factor: 1, note: 'a whole number', mapping: { path: p } };
      if (kind === 'decimal-string' && /^-?\d+$/.test(value as string)) return { factor: 0.8, note: 'a whole number written as text', mapping: { expr: guard(p, `$number(${p})`, true) } };
      return kind === 'number' ? { factor: 0.4, note: 'a fractional number for a whole-number field' } : { factor: 0, note: 'not a number' };
    case 'number':
      if (kind === 'integer' || kind === 'number') return { factor: 1, note: 'a number', mapping: { path: p } };
      if (kind === 'decimal-string') return { factor: 0.8, note: 'a number written as text', mapping: { expr: guard(p, `$number(${p})`, true) } };
      return { factor: 0, note: 'not a number' };
    case 'boolean':
      if (kind === 'boolean') return { factor: 1, note: 'a boolean', mapping: { path: p } };
      if (value === 'true' || value === 'false') return { factor: 0.7, note: 'a boolean written as text', mapping: { expr: guard(p, `${p} = 'true'`, true) } };
      if (value === 0 || value === 1) return { factor: 0.5, note: 'a 0/1 flag', mapping: { expr: guard(p, `${p} = 1`, true) } };
      return { factor: 0, note: 'not a boolean' };
    case 'array': {
      if (kind === 'array') {
        const first = (value as unknown[])[0];
        if (field.itemKind === 'object' && isSchema(first)) return { factor: 0.7, note: `a list of objects: each item needs its own fields, an expr such as [${p}.{ 'id': $string(id), … }]` };
        if (field.itemKind !== 'object' && !isSchema(first)) return { factor: 1, note: 'a list', mapping: { path: p } };
        return { factor: 0.3, note: 'a list of other items' };
      }
      if (field.itemKind === 'string' && (kind === 'string' || kind === 'code-string')) {
        return { factor: 0.6, note: 'comma-separated text, split into a list', mapping: { expr: `${p} = null or ${p} = '' ? [] : [$split(${p}, ',').$trim($)]` } };
      }
      return { factor: 0, note: 'not a list' };
    }
    case 'map':
      return kind === 'object' ? { factor: 0.8, note: 'an object', mapping: { path: p } } : { factor: 0, note: 'not an object' };
    case 'object':
      return { factor: 0, note: 'an object: map its fields one by one' };
    case 'unknown':
      return { factor: 0.5, note: 'any value', mapping: { path: p } };
  }
}

export interface MappingSuggestion {
  field: string;
  path: string;
  pointer: string;
  confidence: number;
  reason: string;
  mapping?: Json;
}

export interface MappingSuggestions {
  type: string;
  suggestions: MappingSuggestion[];
  unmatched: Array<{ field: string; type: string; required: boolean }>;
  unmappedNative: Array<{ path: string; pointer: string; type: string }>;
  draft: Record<string, Json>;
}

const SKIPPED_FIELDS = new Set(['id', 'remote', 'custom', 'raw']);
const DRAFT_CONFIDENCE = 0.5;
const MIN_CONFIDENCE = 0.3;

/** Deterministic suggestions: for each canonical field the native path that most likely holds it, one to one. */
export function suggestMappings(definition: CanonicalTypeDefinition, sample: unknown): MappingSuggestions {
  const fields = canonicalFields(definition).filter((field) => !field.inArray && field.kind !== 'object' && !SKIPPED_FIELDS.has(field.path.split('.')[0] as string));
  const natives = nativeFields(sample);
  const currency = natives.find((native) => native.kind === 'code-string' && currencies.has(String(native.value).toUpperCase()) && /currency/i.test(native.segments.at(-1) as string))
    ?? natives.find((native) => native.kind === 'code-string' && currencies.has(native.value as string) && native.segments.length === 1);
  const objects = natives.filter((native) => native.kind === 'object');
  const structured = (parent: string[]): boolean =>
    parent.length > 0 && objects.some((native) => (nameMatch(parent.at(-1) as string, native.segments.at(-1) as string)?.score ?? 0) >= 0.85);
  const candidates: Array<MappingSuggestion & { fieldOrder: number; nativeOrder: number }> = [];
  fields.forEach((field, fieldOrder) => {
    const segments = field.path.split('.');
    for (const native of natives) {
      if (!native.leaf && field.kind !== 'money' && field.kind !== 'map') continue;
      const name = nameMatch(segments.at(-1) as string, native.segments.at(-1) as string);
      if (!name) continue;
      const parent = parentFactor(segments.slice(0, -1), native.segments.slice(0, -1), structured(segments.slice(0, -1)));
      const typeFit = fit(field, native, currency && currency !== native ? currency.path : undefined);
      const confidence = Math.round(Math.min(1, Math.max(0, name.score * parent.factor * typeFit.factor)) * 100) / 100;
      if (confidence < MIN_CONFIDENCE) continue;
      candidates.push({
        field: field.path,
        path: native.path,
        pointer: native.pointer,
        confidence,
        reason: [name.reason, parent.note, typeFit.note].filter((part) => part !== undefined).join('; '),
        ...(typeFit.mapping ? { mapping: typeFit.mapping } : {}),
        fieldOrder,
        nativeOrder: native.order,
      });
    }
  });
  candidates.sort((a, b) => b.confidence - a.confidence || a.fieldOrder - b.fieldOrder || a.nativeOrder - b.nativeOrder);
  const takenFields = new Set<string>();
  const takenNative = new Set<string>();
  const chosen: typeof candidates = [];
  for (const candidate of candidates) {
    if (takenFields.has(candidate.field) || takenNative.has(candidate.pointer)) continue;
    takenFields.add(candidate.field);
    takenNative.add(candidate.pointer);
    chosen.push(candidate);
  }
  chosen.sort((a, b) => a.fieldOrder - b.fieldOrder);
  const used = [...takenNative];
  if (currency && chosen.some((choice) => JSON.stringify(choice.mapping ?? {}).includes(`'currency': ${currency.path}`))) used.push(currency.pointer);
  const covered = (pointer: string) => used.some((prefix) => pointer === prefix || pointer.startsWith(`${prefix}/`));
  return {
    type: typeRef(definition),
    suggestions: chosen.map(({ fieldOrder: _f, nativeOrder: _n, ...suggestion }) => suggestion),
    unmatched: fields.filter((field) => !takenFields.has(field.path)).map((field) => ({ field: field.path, type: field.label, required: field.required && !field.nullable })),
    unmappedNative: natives.filter((native) => native.leaf && !covered(native.pointer)).map((native) => ({ path: native.path, pointer: native.pointer, type: native.kind })),
    draft: Object.fromEntries(chosen.filter((choice) => choice.mapping && choice.confidence >= DRAFT_CONFIDENCE).map((choice) => [choice.field, choice.mapping as Json])),
  };
}

// ── tools ──────────────────────────────────────────────────────────────────────────────────────────────────

const TypeSummary = Type.Object({
  type: Type.String({ description: 'name@version, as streams name it.' }),
  name: Type.String(),
  version: Type.Integer(),
  title: Type.String(),
  description: Type.String(),
  domain: Type.String(),
  key: Type.Array(Type.String(), { description: 'Fields whose values make the canonical key.' }),
});

function typeSummary(definition: CanonicalTypeDefinition) {
  return {
    type: typeRef(definition),
    name: definition.name,
    version: definition.version,
    title: definition.title,
    description: definition.description,
    domain: domainOf(definition),
    key: [...definition.key],
  };
}

const FieldMappingOut = FreeObject({ description: 'A field mapping for the definition: { "path": … } or { "expr": … }.' });

export const canonicalTools = [
  defineTool({
    name: 'list_canonical_types',
    title: 'List canonical types',
    description:
      'Lists the canonical types a stream can map to (commerce.order@1, crm.contact@1, …): name@version, title, description, domain and the key fields. Filter by domain (commerce, crm, accounting, ticketing, hris, common). Use get_canonical_type for a type\'s fields.',
    group: 'canonical',
    input: Type.Object({ domain: Type.Optional(Type.String({ description: 'Only types of this domain (the part before the dot).' })) }, { additionalProperties: false }),
    output: Type.Object({ types: Type.Array(TypeSummary) }),
    annotations: READ_ONLY,
    handler(args) {
      const all = listCanonicalTypes();
      const types = all.filter((definition) => args.domain === undefined || domainOf(definition) === args.domain);
      if (types.length === 0) {
        const domains = [...new Set(all.map(domainOf))];
        const suggestion = closestName(args.domain ?? '', domains);
        throw new PullPushError(McpErrorCode.NotFound, `No canonical types in domain "${args.domain}".`, { hint: `${suggestion ? `Did you mean "${suggestion}"? ` : ''}Domains: ${domains.join(', ')}.` });
      }
      return { types: types.map(typeSummary) };
    },
  }),
  defineTool({
    name: 'get_canonical_type',
    title: 'Get a canonical type',
    description:
      'Returns one canonical type: its JSON Schema (draft 2020-12), key fields and every field as a flat list (dotted paths, [] for array items) with its type, whether it is required or nullable, and its description. Read it before writing a stream\'s mapping: mapping.fields keys are these paths. Money is { amount: decimal string, currency: ISO 4217 }, timestamps ISO 8601 UTC, enums { value, native }.',
    group: 'canonical',
    input: Type.Object({ type: TypeRef }, { additionalProperties: false }),
    output: Type.Object({
      ...TypeSummary.properties,
      schemaId: Type.String(),
      schema: JsonObject,
      fields: Type.Array(
        Type.Object({
          path: Type.String(),
          type: Type.String(),
          required: Type.Boolean(),
          nullable: Type.Boolean(),
          description: Type.String(),
          note: Type.Optional(Type.String()),
        }),
      ),
    }),
    annotations: READ_ONLY,
    handler(args) {
      const definition = canonicalType(args.type);
      const schema = canonicalJsonSchema(definition);
      return {
        ...typeSummary(definition),
        schemaId: schema.$id,
        schema,
        fields: canonicalFields(definition).map((field) =>
          compact<{ path: string; type: string; required: boolean; nullable: boolean; description: string }>({
            path: field.path,
            type: field.label,
            required: field.required,
            nullable: field.nullable,
            description: field.description,
            note: noteOf(field.path),
          }),
        ),
      };
    },
  }),
  defineTool({
    name: 'validate_canonical',
    title: 'Validate a canonical record',
    description:
      'Checks a record against a canonical type and returns valid plus every issue with the JSON pointer of the offending value (missing fields, closed records, money as decimal strings, UTC timestamps, enum values). Use it on what a mapping produced or on a record you wrote by hand.',
    group: 'canonical',
    input: Type.Object({ type: TypeRef, record: Type.Unknown({ description: 'The canonical record.' }) }, { additionalProperties: false }),
    output: Type.Object({ type: Type.String(), valid: Type.Boolean(), issues: Type.Array(Issue) }),
    annotations: READ_ONLY,
    handler(args) {
      const definition = canonicalType(args.type);
      const result = validateCanonical(definition, args.record);
      return { type: typeRef(definition), valid: result.valid, issues: result.issues.map((issue) => compact<{ pointer: string; message: string }>(issue)) };
    },
  }),
  defineTool({
    name: 'map_record',
    title: 'Map a native record through a stream',
    description:
      'Runs one native record (a sample from the API) through the mapping of a stream of a stored definition, without any request, and returns the canonical record it produces — or ok=false with the message and the pointers of what failed (a field expression, a missing primary key, a value the canonical type refuses). Use it to check a mapping before test_connector. config gives values the mapping reads as $config (not secrets).',
    group: 'canonical',
    input: Type.Object(
      {
        definition: DefinitionId,
        revision: Type.Optional(Revision),
        stream: Type.String({ minLength: 1, description: 'Stream name in the definition.' }),
        record: Type.Unknown({ description: 'The native record, as the API returns one.' }),
        config: Type.Optional(FreeObject({ description: 'Config values the mapping may read ($config); no secrets needed.' })),
        now: Type.Optional(Type.String({ format: 'date-time', description: '$now for the mapping (default the current time).' })),
      },
      { additionalProperties: false },
    ),
    output: Type.Object({
      definition: Type.String(),
      revision: Type.Integer(),
      stream: Type.String(),
      canonical: Type.String({ description: 'The canonical type the stream maps to.' }),
      ok: Type.Boolean(),
      remoteId: Type.String(),
      record: Type.Optional(JsonObject),
      message: Type.Optional(Type.String()),
      issues: Type.Array(Issue),
    }),
    annotations: READ_ONLY,
    async handler(args, { workspace }) {
      const stored = workspace.getDefinition(args.definition, args.revision);
      const now = args.now === undefined ? undefined : new Date(args.now);
      if (now && Number.isNaN(now.getTime())) throw new PullPushError(McpErrorCode.InvalidArguments, `"${args.now}" is not a date-time.`, { hint: 'Write ISO 8601: 2026-01-31T09:30:00Z.' });
      const result = await mapNativeRecord(stored.document, args.stream, args.record, { ...(args.config ? { config: args.config } : {}), ...(now ? { now } : {}) });
      const streams = stored.document['streams'] as Record<string, Json> | undefined;
      const canonical = String(streams?.[args.stream]?.['canonical'] ?? '');
      const base = { definition: args.definition, revision: stored.revision, stream: args.stream, canonical, remoteId: result.remoteId };
      return result.ok
        ? { ...base, ok: true, record: result.record, issues: [] }
        : { ...base, ok: false, message: result.message, issues: result.issues.map((issue) => compact<{ pointer: string; message: string }>(issue)) };
    },
  }),
  defineTool({
    name: 'suggest_mappings',
    title: 'Suggest a mapping from a sample record',
    description:
      'Given one native sample record and a canonical type, suggests for each canonical field the native path that most likely holds it, with a confidence from 0 to 1 and the reason (exact name, snake/camel case, synonyms such as qty → quantity or created → createdAt, type fit such as date-time strings for timestamps or decimal strings for money amounts) and a ready field mapping ({ path } or a converting { expr }). Deterministic, no model involved: review each suggestion. Also lists canonical fields left without a suggestion, native fields left unmapped, and a draft mapping.fields of the suggestions with confidence >= 0.5.',
    group: 'canonical',
    input: Type.Object(
      { type: TypeRef, record: FreeObject({ description: 'One native record, as the API returns it.' }) },
      { additionalProperties: false },
    ),
    output: Type.Object({
      type: Type.String(),
      suggestions: Type.Array(
        Type.Object({
          field: Type.String({ description: 'Canonical field path (mapping.fields key).' }),
          path: Type.String({ description: 'JSONata path in the native record.' }),
          pointer: Type.String({ description: 'JSON pointer of that value in the sample.' }),
          confidence: Type.Number({ minimum: 0, maximum: 1 }),
          reason: Type.String(),
          mapping: Type.Optional(FieldMappingOut),
        }),
      ),
      unmatched: Type.Array(Type.Object({ field: Type.String(), type: Type.String(), required: Type.Boolean() })),
      unmappedNative: Type.Array(Type.Object({ path: Type.String(), pointer: Type.String(), type: Type.String() })),
      draft: Type.Record(Type.String(), FieldMappingOut, { description: 'mapping.fields from the confident suggestions.' }),
    }),
    annotations: READ_ONLY,
    handler: (args) => suggestMappings(canonicalType(args.type), args.record),
  }),
];
