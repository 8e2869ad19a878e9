// Public surface of the simulated mm engine.
export { runAll, runScenario, scenarioPolicies } from './run';
export { createSession } from './session';
export { decodeTraceEvent, TraceReader } from './trace';
export * from './api';
