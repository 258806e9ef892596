// Semantic rules of flows: the streams exist in the source definition, the destination connector can write
// the canonical types those streams produce, match fields exist, the schedule is coherent.
import { defaultRegistry, type CanonicalRegistry } from '@pullpush/canonical';
import { fieldSchema, siblingFields } from './canonical-fields.ts';
import { checkSite, type ExpressionFindings } from './expressions.ts';
import { DslCode, pointerOf, withSuggestion, type Problem } from './problems.ts';
import { flowSites, isObject } from './sites.ts';

type Json = Record<string, unknown>;

export function flowProblems(doc: Json, options: { registry?: CanonicalRegistry; definitions?: Readonly<Record<string, unknown>> }): Problem[] {
  const registry = options.registry ?? defaultRegistry;
  const problems: Problem[] = [];
  const findings: ExpressionFindings = { problems: [], configRefs: [] };
  const destination = isObject(doc['destination']) ? doc['destination'] : {};
  for (const site of flowSites(doc)) checkSite(site, findings);
  problems.push(...findings.problems);

  const schedule = doc['schedule'];
  if (isObject(schedule) && (schedule['every'] === undefined) === (schedule['cron'] === undefined)) {
    problems.push({ code: DslCode.FlowScheduleIncoherent, severity: 'error', pointer: '/schedule', message: 'set exactly one of schedule.every and schedule.cron' });
  }

  // Shadow runs compare with what the destination holds, which only a connector destination can be asked.
  if (doc['mode'] === 'shadow' && typeof destination['kind'] === 'string' && destination['kind'] !== 'connector') {
    problems.push({
      code: DslCode.FlowShadowDestination,
      severity: 'error',
      pointer: '/mode',
      message: `shadow mode needs a connector destination, not ${destination['kind']}`,
      hint: 'Use mode "live" (or "paused"), or send the flow to a connector.',
    });
  }

  for (const [type, fields] of Object.entries(isObject(doc['match']) ? doc['match'] : {})) {
    const definition = registry.find(type);
    if (!definition) {
      problems.push(withSuggestion({ code: DslCode.UnknownCanonicalType, severity: 'error', pointer: pointerOf('match', type), message: `unknown canonical type ${type}` }, type, [...new Set(registry.list().map((d) => d.name))]));
      continue;
    }
    if (Array.isArray(fields)) {
      fields.forEach((field, index) => {
        if (typeof field === 'string' && !fieldSchema(definition, field)) {
          problems.push(withSuggestion({ code: DslCode.UnknownCanonicalField, severity: 'error', pointer: pointerOf('match', type, index), message: `${type} has no field "${field}"` }, field, siblingFields(definition, field)));
        }
      });
    }
  }

  const source = isObject(doc['source']) ? doc['source'] : {};
  const sourceDefinition = typeof source['connector'] === 'string' ? options.definitions?.[source['connector']] : undefined;
  const sourceStreams = isObject(sourceDefinition) && isObject(sourceDefinition['streams']) ? sourceDefinition['streams'] : undefined;
  const producedTypes = new Set<string>();
  if (sourceStreams && Array.isArray(source['streams'])) {
    source['streams'].forEach((name, index) => {
      if (typeof name !== 'string') return;
      const stream = sourceStreams[name];
      if (!isObject(stream)) {
        problems.push(withSuggestion({ code: DslCode.FlowUnknownStream, severity: 'error', pointer: pointerOf('source', 'streams', index), message: `connector "${String(source['connector'])}" has no stream "${name}"` }, name, Object.keys(sourceStreams)));
      } else if (typeof stream['canonical'] === 'string') producedTypes.add(stream['canonical']);
    });
  }

  if (destination['kind'] === 'connector' && typeof destination['connector'] === 'string') {
    const target = options.definitions?.[destination['connector']];
    if (isObject(target)) {
      const writes = isObject(target['writes']) ? target['writes'] : {};
      for (const type of producedTypes) {
        if (!isObject(writes[type])) {
          problems.push({ code: DslCode.FlowNoWrites, severity: 'error', pointer: '/destination/connector', message: `connector "${destination['connector']}" cannot write ${type}, which the source streams produce`, hint: `Its writes cover: ${Object.keys(writes).join(', ') || 'nothing'}.` });
        }
      }
      const allowed = Array.isArray(destination['operations']) ? destination['operations'] : [];
      allowed.forEach((operation, index) => {
        const offered = Object.values(writes).some((spec) => isObject(spec) && isObject(spec[String(operation)]));
        if (!offered) {
          problems.push({ code: DslCode.FlowNoWrites, severity: 'error', pointer: pointerOf('destination', 'operations', index), message: `connector "${destination['connector']}" offers no ${String(operation)} operation` });
        }
      });
    }
  }
  return problems;
}
