export {
  type Assistant,
  type AssistantConfig,
  AssistantError,
  type AssistantFailure,
  type ChatTurn,
  createAssistant,
  NOT_CONFIGURED_MESSAGE,
  type StreamOptions,
} from './assistant.js';
export { type AiEnv, aiConfigFromEnv } from './config.js';
export { SseParser } from './sse.js';
