// The libraries of the commands that call APIs and write data (test, read, write, sync, flow, dlq, state, demo),
// loaded when one of them runs (`await import('../libraries/runtime.ts')`).
export { compileConnector, renderTestReport, testConnector } from '@pullpush/engine';
export { checkRunnable, FlowQueue, flowStatus, JsonlDestination, openDestination, openFlowOutbox, openSqliteStore, parseDestination, previewFlow, reconcileFlow, runFlow, runSync, shadowFlow, startWorker } from '@pullpush/sync';
export { SHOP_CONNECTOR_ID, SHOP_STREAMS, shopConnectorDefinition, startTestApi } from '@pullpush/testkit';
export { configUpdater } from '../config-file.ts';
export { loadFlowDocuments, loadJsonDocument } from '../documents.ts';
export { connectionConfigFiles, explainConfigError, loadConfig, networkOptions } from '../inputs.ts';
