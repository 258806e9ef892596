// The one check every entry of the engine makes first: the definition validates (under the embedding
// application's network policy), or a coded error lists every problem with its pointer.
import { PullPushError } from '@pullpush/canonical';
import { validateDefinition, type ConnectorDefinition } from '@pullpush/schema';
import { EngineErrorCode } from './errors.ts';

export function assertValidDefinition(definition: unknown, options: { allowInsecureHttp?: boolean } = {}): ConnectorDefinition {
  const { errors } = validateDefinition(definition, { allowInsecureHttp: options.allowInsecureHttp === true });
  if (errors.length > 0) {
    throw new PullPushError(EngineErrorCode.InvalidDefinition, `The definition has ${errors.length} error(s); the first: ${errors[0]?.pointer} ${errors[0]?.message}`, {
      hint: 'Run validateDefinition() (or `pullpush validate`) to see them all.',
      issues: errors.map((problem) => ({ pointer: problem.pointer, message: problem.message, rule: problem.code })),
    });
  }
  return definition as ConnectorDefinition;
}
