// The JSONata suite checker (tools/jsonata-suite) on a small suite in JSONata's layout: what agrees is counted, the
// engine's documented refusals are explained, and a case the engine answers differently is a fault.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJsonataSuite } from '../jsonata-suite/check.ts';

const suite = mkdtempSync(join(tmpdir(), 'jsonata-suite-'));
afterAll(() => rmSync(suite, { recursive: true, force: true }));

function write(path: string, value: unknown): void {
  mkdirSync(join(suite, path, '..'), { recursive: true });
  writeFileSync(join(suite, path), JSON.stringify(value));
}

write('datasets/dataset0.json', { Account: { Order: [{ Product: [{ Price: 2, Quantity: 3 }] }, { Product: [{ Price: 5, Quantity: 1 }] }] } });
write('groups/paths/case000.json', { expr: 'Account.Order.Product.Price', dataset: 'dataset0', bindings: {}, result: [2, 5] });
write('groups/paths/case001.json', { expr: 'Account.Order[0].Product.Quantity', dataset: 'dataset0', bindings: {}, result: 3 });
write('groups/paths/case002.json', [
  { expr: '$sum(Account.Order.Product.(Price * Quantity))', dataset: 'dataset0', bindings: {}, result: 11 },
  { expr: 'nothing', data: {}, bindings: {}, undefinedResult: true },
]);
write('groups/errors/case000.json', { expr: '"a" + 1', data: null, bindings: {}, code: 'T2001' });
write('groups/errors/case001.json', { expr: '$foo()', data: null, bindings: {}, code: 'T1006' });
write('groups/bindings/case000.json', { expr: '$x + 1', data: null, bindings: { x: 41 }, result: 42 });
write('groups/bindings/case001.json', { expr: '$y', data: null, bindings: {}, undefinedResult: true });
write('groups/bindings/case002.json', { expr: '($y := 2; $y * 3)', data: null, bindings: {}, result: 6 });
write('groups/eval/case000.json', { expr: "$eval('1 + 1')", data: null, bindings: {}, result: 2 });
write('groups/recursion/case000.json', { expr: '($f := function($n){ $n = 0 ? 0 : 1 + $f($n - 1) }; $f(300))', data: null, timelimit: 5000, depth: 2000, bindings: {}, result: 300 });
// The expected result is wrong: the engine's (right) answer is then a fault of the checked code, as any would be.
write('groups/wrong/case000.json', { expr: '1 + 1', data: null, bindings: {}, result: 3 });

describe('the JSONata suite checker', () => {
  it('counts agreements, explains documented refusals and reports every other disagreement as a fault', async () => {
    const report = await checkJsonataSuite(suite);
    expect(report.cases).toBe(12);
    expect(report.engineAgreed).toBe(9);
    const reasons = report.disagreements.map(({ id, check, reason }) => `${check} ${id}: ${reason ?? 'fault'}`).sort();
    expect(reasons).toEqual([
      'engine eval/case000.json: eval refused',
      'engine recursion/case000.json: beyond default bounds',
      'engine wrong/case000.json: fault',
      'validator bindings/case001.json: unbound variable',
      'validator errors/case001.json: unknown function',
      'validator eval/case000.json: eval refused',
    ]);
    expect(report.faults).toBe(1);
    expect(report.disagreements.find((item) => item.id === 'wrong/case000.json')).toMatchObject({ got: '2', want: '3' });
    // The plain path and generated code answer the path, index and arithmetic cases, and agree with JSONata there.
    expect(report.syncAnswered).toBeGreaterThanOrEqual(4);
    expect(report.syncAgreed).toBe(report.syncAnswered);
    // `$x` comes from the case's bindings: such an expression is not given to the validator.
    expect(report.validated).toBe(11);
  });
});
