/** Conformance testing against posteriordb reference posteriors: the pass rule and the reference format. */
export * from './passRule.js';
export * from './reference.js';
