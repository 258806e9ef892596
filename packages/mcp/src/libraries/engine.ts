// What the tools use of the engine, loaded on first use (load.ts).
export { compileConnector, mapNativeRecord, Redactor, renderTestReport, testConnector } from '@pullpush/engine';
