export * from './labels.js';
export * from './time.js';
export * from './conversation.js';
export * from './jsonl.js';
export * from './protocol.js';
