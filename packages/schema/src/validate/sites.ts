// Finds every template and expression of a definition with the context it is evaluated in.
import type { ExpressionContext, ExpressionSite } from './expressions.ts';
import { pointerOf } from './problems.ts';

type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function templatesIn(value: unknown, segments: Array<string | number>, context: ExpressionContext, out: ExpressionSite[]): void {
  if (typeof value === 'string') {
    if (value.includes('{{') || value.includes('}}')) out.push({ pointer: pointerOf(...segments), form: 'template', source: value, context });
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => templatesIn(item, [...segments, index], context, out));
  } else if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) templatesIn(item, [...segments, key], context, out);
  }
}

function expression(value: unknown, segments: Array<string | number>, context: ExpressionContext, out: ExpressionSite[]): void {
  if (typeof value === 'string' && value.trim() !== '') out.push({ pointer: pointerOf(...segments), form: 'expression', source: value, context });
}

function fieldMappings(value: unknown, segments: Array<string | number>, context: ExpressionContext, out: ExpressionSite[]): void {
  if (!isObject(value)) return;
  for (const [field, mapping] of Object.entries(value)) {
    if (!isObject(mapping)) continue;
    expression(mapping['path'], [...segments, field, 'path'], context, out);
    expression(mapping['expr'], [...segments, field, 'expr'], context, out);
  }
}

function request(value: unknown, segments: Array<string | number>, context: ExpressionContext, out: ExpressionSite[]): void {
  if (!isObject(value)) return;
  for (const key of ['path', 'query', 'headers', 'body']) templatesIn(value[key], [...segments, key], context, out);
}

export function definitionSites(doc: Json): ExpressionSite[] {
  const out: ExpressionSite[] = [];
  if (isObject(doc['http'])) templatesIn(doc['http'], ['http'], 'connection', out);
  const auth = doc['auth'];
  if (isObject(auth)) {
    for (const [key, value] of Object.entries(auth)) {
      if (key === 'login') request(value, ['auth', 'login'], 'auth', out);
      else templatesIn(value, ['auth', key], auth['kind'] === 'session' && key === 'value' ? 'session' : 'auth', out);
    }
  }
  if (Array.isArray(doc['responseFilters'])) {
    doc['responseFilters'].forEach((filter, index) => isObject(filter) && expression(filter['bodyMatches'], ['responseFilters', index, 'bodyMatches'], 'responseFilter', out));
  }
  const streams = isObject(doc['streams']) ? doc['streams'] : {};
  for (const [name, stream] of Object.entries(streams)) {
    if (!isObject(stream)) continue;
    request(stream['request'], ['streams', name, 'request'], 'request', out);
    if (isObject(stream['records'])) {
      expression(stream['records']['path'], ['streams', name, 'records', 'path'], 'pagination', out);
      expression(stream['records']['filter'], ['streams', name, 'records', 'filter'], 'records', out);
    }
    const pagination = stream['pagination'];
    if (isObject(pagination)) {
      for (const key of ['stopWhen', 'path', 'totalPath', 'totalPagesPath']) expression(pagination[key], ['streams', name, 'pagination', key], 'pagination', out);
      if (isObject(pagination['cursor']) && pagination['cursor']['from'] === 'body') {
        expression(pagination['cursor']['path'], ['streams', name, 'pagination', 'cursor', 'path'], 'pagination', out);
      }
    }
    if (isObject(stream['incremental'])) templatesIn(stream['incremental']['startDate'], ['streams', name, 'incremental', 'startDate'], 'incremental', out);
    if (isObject(stream['mapping'])) {
      fieldMappings(stream['mapping']['fields'], ['streams', name, 'mapping', 'fields'], 'mapping', out);
      fieldMappings(stream['mapping']['custom'], ['streams', name, 'mapping', 'custom'], 'mapping', out);
    }
  }
  const writes = isObject(doc['writes']) ? doc['writes'] : {};
  for (const [type, spec] of Object.entries(writes)) {
    if (!isObject(spec)) continue;
    for (const operation of ['create', 'update', 'upsert', 'delete']) {
      const op = spec[operation];
      if (!isObject(op)) continue;
      request(op['request'], ['writes', type, operation, 'request'], 'write', out);
      fieldMappings(op['body'], ['writes', type, operation, 'body'], 'write', out);
    }
    if (isObject(spec['match'])) request(spec['match']['request'], ['writes', type, 'match', 'request'], 'write', out);
  }
  const webhooks = doc['webhooks'];
  if (isObject(webhooks) && isObject(webhooks['signature'])) {
    const signature = webhooks['signature'];
    templatesIn(signature['secret'], ['webhooks', 'signature', 'secret'], 'webhookSecret', out);
    templatesIn(signature['signedPayload'], ['webhooks', 'signature', 'signedPayload'], 'webhookPayload', out);
    expression(signature['extract'], ['webhooks', 'signature', 'extract'], 'webhookExtract', out);
  }
  return out;
}
