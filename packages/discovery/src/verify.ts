// A draft checked against the mock API of its own description: the engine's read-only test run, pointed at the
// mock. Loopback is allowed for this run only, and the definition may reach nothing but the mock's host and port.
import { testConnector, type TestReport, type TestRunOptions } from '@pullpush/engine';
import type { Draft } from './draft.ts';
import { mockConfig, startMockApi, type MockApiOptions } from './mock-api.ts';
import type { ApiModel } from './model.ts';

export interface VerifyOptions {
  mock?: MockApiOptions;
  /** Test limits and progress (streams, maxRecords, maxPages, maxPartitions, onStream). */
  test?: Pick<TestRunOptions, 'streams' | 'maxRecords' | 'maxPages' | 'maxPartitions' | 'onStream'>;
  signal?: AbortSignal;
}

export async function verifyDraft(model: ApiModel, draft: Draft, options: VerifyOptions = {}): Promise<TestReport> {
  const mock = await startMockApi(model, options.mock);
  try {
    return await testConnector(draft.definition, mockConfig(draft), {
      ...options.test,
      baseUrl: mock.url,
      allowPrivateNetwork: 'loopback',
      allowInsecureHttp: true,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } finally {
    await mock.close();
  }
}
