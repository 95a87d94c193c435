export { type FaqAgentOptions, type FaqAnswerReport, type FaqEntry, faqAgent } from './faq-agent';
export {
  DEFAULT_CONJUNCTIONS,
  type HoldAfterConjunctionOptions,
  holdAfterConjunction,
} from './hold-after-conjunction';
export { type RemoveDcOptions, removeDc } from './remove-dc';
export { type ToyDictionary, translateSentences } from './toy-spanish';
export { filterWords, type WordFilterOptions } from './word-filter';
