export { createLocalStack, type LocalStack, type LocalStackOptions } from './local-stack';
