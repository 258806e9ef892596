// Mapping suggestions: for each field of a canonical type, the native field of a sample record that most likely
// holds it, with a confidence, the reason and a ready field mapping. Deterministic: names (exact, case, synonyms),
// places and value types are compared, nothing else.
import { canonicalFields, DECIMAL_PATTERN, typeRef, type CanonicalField, type CanonicalTypeDefinition } from '@pullpush/canonical';
import { isObject } from './json.ts';

type Json = Record<string, unknown>;

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
    if (!isObject(value)) return;
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
  // A field one object down is often the same thing (customer.email); deeper, it is usually another record's.
  if (canonicalParent.length === 0) return { factor: nativeParent.length === 1 ? 0.7 : 0.45, note: `nested in ${nativeParent.join('.')}` };
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

/** JSONata that is true when the field has a value: neither missing (undefined) nor null. */
function present(path: string): string {
  return `$exists(${path}) and ${path} != null`;
}

/** Where the canonical field may be null: null when the native field is missing or null, else the expression. */
function guard(path: string, expression: string, nullable: boolean): string {
  return nullable ? `${present(path)} ? ${expression} : null` : expression;
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
          ? { factor: 0.9, note: `a decimal string as the amount, ${amountNote}`, mapping: { expr: `${present(p)} and ${present(currencyPath)} ? { 'amount': ${p}, 'currency': $uppercase(${currencyPath}) } : null` } }
          : { factor: 0.8, note: `a decimal string as the amount; ${amountNote}` };
      }
      if (kind === 'integer' || kind === 'number') {
        const note = `a JSON number as the amount (check the unit: cents need dividing by 100), ${amountNote}`;
        return currencyPath ? { factor: 0.75, note, mapping: { expr: `${present(p)} and ${present(currencyPath)} ? { 'amount': $string(${p}), 'currency': $uppercase(${currencyPath}) } : null` } } : { factor: 0.65, note };
      }
      if (kind === 'object' && isObject(value) && typeof value['amount'] === 'string' && DECIMAL.test(value['amount']) && typeof value['currency'] === 'string' && currencies.has(value['currency'])) {
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
        // A missing native value is "no data": null where the field may be null, else "other" with no native value.
        mapping: { expr: field.nullable ? guard(p, expression, true) : `${present(p)} ? ${expression} : { 'value': 'other', 'native': null }` },
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
      // A boolean that may not be null is false when the native field is missing (deleted on live records).
      if (kind === 'boolean') return field.nullable ? { factor: 1, note: 'a boolean', mapping: { path: p } } : { factor: 1, note: 'a boolean; missing is false', mapping: { expr: `${p} = true` } };
      if (value === 'true' || value === 'false') return { factor: 0.7, note: 'a boolean written as text', mapping: { expr: field.nullable ? guard(p, `${p} = 'true'`, true) : `${p} = 'true'` } };
      if (value === 0 || value === 1) return { factor: 0.5, note: 'a 0/1 flag', mapping: { expr: field.nullable ? guard(p, `${p} = 1`, true) : `${p} = 1` } };
      return { factor: 0, note: 'not a boolean' };
    case 'array': {
      if (kind === 'array') {
        const first = (value as unknown[])[0];
        if (field.itemKind === 'object' && isObject(first)) return { factor: 0.7, note: `a list of objects: each item needs its own fields, an expr such as [${p}.{ 'id': $string(id), … }]` };
        if (field.itemKind !== 'object' && !isObject(first)) return { factor: 1, note: 'a list', mapping: field.nullable ? { path: p } : { expr: `${present(p)} ? ${p} : []` } };
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
  // The record's own currency: the shallowest field named like one (a nested one usually belongs to another record).
  const byDepth = [...natives].sort((a, b) => a.segments.length - b.segments.length || a.order - b.order);
  const currency = byDepth.find((native) => native.kind === 'code-string' && currencies.has(String(native.value).toUpperCase()) && /currency/i.test(native.segments.at(-1) as string))
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
