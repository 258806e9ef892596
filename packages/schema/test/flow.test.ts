// validateFlow: the flow document itself, and with `definitions`, the streams and writes it names.
import { describe, expect, it } from 'vitest';
import { DslCode, FLOW_DSL_VERSION, validateFlow, type Problem, type ValidationResult } from '../src/index.ts';
import { shopDefinition } from './fixtures.ts';

/** Documents under test are mutated freely: the fixture's loose type. */
type Json = ReturnType<typeof shopDefinition>;

function shopFlow(): Json {
  return {
    dsl: FLOW_DSL_VERSION,
    id: 'shop-to-sqlite',
    name: 'Shop customers to SQLite',
    source: { connector: 'shop', connection: 'main', streams: ['customers'] },
    destination: { kind: 'sqlite', path: './shop.db' },
    schedule: { every: '15m' },
  };
}

/** The shop definition under another id, optionally able to write customers. */
function crmDefinition(writes?: Json): Json {
  const definition = shopDefinition();
  definition['id'] = 'crm';
  definition['name'] = 'CRM';
  if (writes) definition['writes'] = writes;
  return definition;
}

const CUSTOMER_WRITES = {
  'commerce.customer@1': {
    upsert: { request: { method: 'PUT', path: '/customers' }, body: { email: { path: 'email' } }, remoteIdPath: 'id' },
    delete: { request: { method: 'DELETE', path: '/customers/{{ $remoteId }}' } },
    match: { kind: 'idMap' },
  },
};

function validate(mutate: (flow: Json) => void, definitions: Record<string, unknown> = { shop: shopDefinition() }): ValidationResult {
  const flow = shopFlow();
  mutate(flow);
  return validateFlow(flow, { definitions });
}

function problems(result: ValidationResult): Problem[] {
  return [...result.errors, ...result.warnings];
}

function codesAt(result: ValidationResult): string[] {
  return problems(result).map((problem) => `${problem.code} ${problem.pointer}`);
}

function expectOnly(result: ValidationResult, code: string, pointer: string): Problem {
  expect(codesAt(result)).toEqual([`${code} ${pointer}`]);
  expect(result.ok).toBe(false);
  const [problem] = result.errors as [Problem];
  expect(problem.severity).toBe('error');
  expect(problem.message.trim()).not.toBe('');
  return problem;
}

function expectClean(result: ValidationResult): void {
  expect(codesAt(result)).toEqual([]);
  expect(result).toEqual({ ok: true, errors: [], warnings: [] });
}

describe('validateFlow', () => {
  it('accepts a valid flow: shop customers every 15 minutes into SQLite', () => {
    expectClean(validate((flow) => void flow));
    expectClean(validateFlow(shopFlow()));
  });

  it('accepts the other destinations and schedules', () => {
    expectClean(validate((flow) => void (flow['destination'] = { kind: 'jsonl', path: '-' })));
    expectClean(validate((flow) => void (flow['destination'] = { kind: 'postgres', url: '{{ $env.DATABASE_URL }}', schema: 'shop' })));
    expectClean(validate((flow) => void (flow['schedule'] = { cron: '*/15 * * * *' })));
    expectClean(
      validate((flow) => {
        delete flow['schedule'];
        flow['mode'] = 'paused';
        flow['source'].streams = ['customers', 'stock'];
      }),
    );
  });

  it('reports a document that is not an object', () => {
    for (const value of [null, [], 'flow', 1]) {
      const result = validateFlow(value);
      expect(codesAt(result)).toEqual([`${DslCode.NotADocument} `]);
    }
  });

  it('reports structural problems with did-you-mean', () => {
    const kind = expectOnly(validate((flow) => void (flow['destination'].kind = 'sqlte')), DslCode.UnknownKind, '/destination/kind');
    expect(kind.suggestion).toBe('sqlite');
    const key = expectOnly(validate((flow) => void (flow['shedule'] = flow['schedule'])), DslCode.UnknownKey, '/shedule');
    expect(key.suggestion).toBe('schedule');
    expectOnly(validate((flow) => void (flow['dsl'] = 'pullpush/v1')), DslCode.UnsupportedVersion, '/dsl');
    expectOnly(validate((flow) => void delete flow['source'].connection), DslCode.MissingField, '/source/connection');
    expectOnly(validate((flow) => void (flow['schedule'].every = '15 minutes')), DslCode.InvalidValue, '/schedule/every');
  });
});

describe(DslCode.FlowUnknownStream, () => {
  it('reports a stream the source connector does not have, with a suggestion', () => {
    const problem = expectOnly(validate((flow) => void (flow['source'].streams = ['customers', 'stocks'])), DslCode.FlowUnknownStream, '/source/streams/1');
    expect(problem.suggestion).toBe('stock');
    expect(problem.hint).toContain('Did you mean "stock"?');
    expect(problem.message).toContain('shop');
  });

  it('gives no suggestion when nothing is close', () => {
    const problem = expectOnly(validate((flow) => void (flow['source'].streams = ['invoices'])), DslCode.FlowUnknownStream, '/source/streams/0');
    expect(problem.suggestion).toBeUndefined();
  });

  it('accepts every stream the connector has', () => {
    expectClean(validate((flow) => void (flow['source'].streams = ['stock', 'customers'])));
  });

  it('cannot check streams without the source definition', () => {
    expectClean(validate((flow) => void (flow['source'].streams = ['invoices']), {}));
  });
});

describe(DslCode.FlowNoWrites, () => {
  const toCrm = (flow: Json) => void (flow['destination'] = { kind: 'connector', connector: 'crm', connection: 'prod' });

  it('reports a destination connector that cannot write what the streams produce', () => {
    const problem = expectOnly(validate(toCrm, { shop: shopDefinition(), crm: crmDefinition() }), DslCode.FlowNoWrites, '/destination/connector');
    expect(problem.message).toContain('commerce.customer@1');
    expect(problem.hint).toContain('nothing');
  });

  it('reports a destination that writes other types only', () => {
    const writes = { 'crm.contact@1': { create: { request: { method: 'POST', path: '/contacts' }, remoteIdPath: 'id' } } };
    const problem = expectOnly(validate(toCrm, { shop: shopDefinition(), crm: crmDefinition(writes) }), DslCode.FlowNoWrites, '/destination/connector');
    expect(problem.hint).toContain('crm.contact@1');
  });

  it('reports an allowed operation the connector does not offer', () => {
    const result = validate(
      (flow) => {
        toCrm(flow);
        flow['destination'].operations = ['upsert', 'create'];
      },
      { shop: shopDefinition(), crm: crmDefinition(CUSTOMER_WRITES) },
    );
    expectOnly(result, DslCode.FlowNoWrites, '/destination/operations/1');
  });

  it('accepts a destination connector with writes for the produced type', () => {
    expectClean(validate(toCrm, { shop: shopDefinition(), crm: crmDefinition(CUSTOMER_WRITES) }));
    expectClean(
      validate(
        (flow) => {
          toCrm(flow);
          flow['destination'].operations = ['upsert', 'delete'];
        },
        { shop: shopDefinition(), crm: crmDefinition(CUSTOMER_WRITES) },
      ),
    );
  });

  it('does not ask raw streams to be written as a canonical type', () => {
    const shop = shopDefinition();
    delete shop['streams'].customers.canonical;
    delete shop['streams'].customers.mapping;
    expectClean(validate(toCrm, { shop, crm: crmDefinition() }));
  });
});

describe(DslCode.FlowShadowDestination, () => {
  it('reports shadow mode on a flow that does not go to a connector', () => {
    for (const destination of [{ kind: 'sqlite', path: 'shop.db' }, { kind: 'jsonl', path: '-' }]) {
      const problem = expectOnly(
        validate((flow) => {
          flow['destination'] = destination;
          flow['mode'] = 'shadow';
        }),
        DslCode.FlowShadowDestination,
        '/mode',
      );
      expect(problem.message).toContain(destination.kind);
    }
  });

  it('accepts shadow mode on a flow to a connector, and every mode elsewhere', () => {
    const crm = { ...crmDefinition(), writes: { 'commerce.customer@1': { create: { request: { method: 'POST', path: '/contacts' } } } } };
    expectClean(
      validate(
        (flow) => {
          flow['destination'] = { kind: 'connector', connector: 'crm', connection: 'prod' };
          flow['mode'] = 'shadow';
        },
        { shop: shopDefinition(), crm },
      ),
    );
    for (const mode of ['live', 'paused']) expectClean(validate((flow) => void (flow['mode'] = mode)));
  });
});

describe(DslCode.FlowScheduleIncoherent, () => {
  it('reports both every and cron', () => {
    expectOnly(validate((flow) => void (flow['schedule'] = { every: '15m', cron: '*/15 * * * *' })), DslCode.FlowScheduleIncoherent, '/schedule');
  });

  it('reports neither every nor cron', () => {
    expectOnly(validate((flow) => void (flow['schedule'] = {})), DslCode.FlowScheduleIncoherent, '/schedule');
  });

  it('accepts exactly one of them, or no schedule at all', () => {
    expectClean(validate((flow) => void (flow['schedule'] = { every: '1h' })));
    expectClean(validate((flow) => void (flow['schedule'] = { cron: '0 3 * * 1' })));
    expectClean(validate((flow) => void delete flow['schedule']));
  });
});

describe('match', () => {
  it('reports an unknown canonical type, with a suggestion', () => {
    const problem = expectOnly(validate((flow) => void (flow['match'] = { 'commerce.custmer': ['email'] })), DslCode.UnknownCanonicalType, '/match/commerce.custmer');
    expect(problem.suggestion).toBe('commerce.customer');
  });

  it('reports an unknown field, with a suggestion', () => {
    const problem = expectOnly(validate((flow) => void (flow['match'] = { 'commerce.customer': ['email', 'emial'] })), DslCode.UnknownCanonicalField, '/match/commerce.customer/1');
    expect(problem.suggestion).toBe('email');
  });

  it('reports an unknown nested field', () => {
    expectOnly(validate((flow) => void (flow['match'] = { 'commerce.customer': ['defaultAddress.zipcode'] })), DslCode.UnknownCanonicalField, '/match/commerce.customer/0');
  });

  it('accepts known types and fields, nested ones included', () => {
    expectClean(validate((flow) => void (flow['match'] = { 'commerce.customer': ['email'], 'commerce.stocklevel': ['sku', 'locationId'], 'crm.contact': ['address.city'] })));
  });
});

describe('destination templates', () => {
  it('rejects $config in the destination path: only $env is available in a flow', () => {
    const problem = expectOnly(validate((flow) => void (flow['destination'].path = './{{ $config.shop }}.db')), DslCode.ForbiddenVariable, '/destination/path');
    expect(problem.message).toContain('$env');
    expect(problem.hint).toBeTruthy();
  });

  it('rejects $record in a postgres URL', () => {
    expectOnly(validate((flow) => void (flow['destination'] = { kind: 'postgres', url: '{{ $record.url }}' })), DslCode.ForbiddenVariable, '/destination/url');
  });

  it('reports a template that does not parse', () => {
    expectOnly(validate((flow) => void (flow['destination'].path = './{{ $env.DIR ++ }}.db')), DslCode.InvalidExpression, '/destination/path');
    expectOnly(validate((flow) => void (flow['destination'].path = './{{ $env.DIR .db')), DslCode.InvalidExpression, '/destination/path');
  });

  it('accepts $env and built-in functions', () => {
    expectClean(validate((flow) => void (flow['destination'].path = '{{ $env.DATA_DIR }}/{{ $lowercase($env.SHOP) }}.db')));
  });
});

describe('several mistakes', () => {
  it('reports all of them at once', () => {
    const result = validate(
      (flow) => {
        flow['source'].streams = ['custmers'];
        flow['schedule'] = { every: '15m', cron: '0 * * * *' };
        flow['match'] = { 'commerce.customer': ['emial'] };
        flow['destination'] = { kind: 'connector', connector: 'crm', connection: 'prod', operations: ['delete'] };
        flow['mode'] = 'dry';
      },
      { shop: shopDefinition(), crm: crmDefinition({ 'crm.contact@1': { create: { request: { method: 'POST', path: '/contacts' }, remoteIdPath: 'id' } } }) },
    );
    expect(codesAt(result).sort()).toEqual(
      [
        `${DslCode.InvalidValue} /mode`,
        `${DslCode.FlowUnknownStream} /source/streams/0`,
        `${DslCode.FlowScheduleIncoherent} /schedule`,
        `${DslCode.UnknownCanonicalField} /match/commerce.customer/0`,
        `${DslCode.FlowNoWrites} /destination/operations/0`,
      ].sort(),
    );
  });
});
