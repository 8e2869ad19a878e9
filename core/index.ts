// The public engine and language API (one import for the CLI, host and views).
export * from './mm/index';
export * from './lang/ast';
export { parseScenario } from './lang/parser';
