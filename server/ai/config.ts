/** The assistant's configuration from the environment: `AI_BASE_URL`, `AI_MODEL`, `AI_API_KEY`. */
import type { AssistantConfig } from './assistant.js';

/** `process.env`, or any object with the same variables. */
export type AiEnv = Readonly<Record<string, string | undefined>>;

/**
 * `undefined` when neither `AI_BASE_URL` nor `AI_MODEL` is set (the server runs without an assistant and
 * answers `ai-message` with a clear error). Setting only one of the two is a mistake worth stopping for.
 */
export function aiConfigFromEnv(env: AiEnv): AssistantConfig | undefined {
  const baseUrl = env.AI_BASE_URL?.trim() || undefined;
  const model = env.AI_MODEL?.trim() || undefined;
  const apiKey = env.AI_API_KEY?.trim() || undefined;
  if (!baseUrl && !model) return undefined;
  if (!baseUrl) {
    throw new Error(
      'AI_MODEL is set but AI_BASE_URL is not: set it to an OpenAI-compatible endpoint such as http://localhost:11434/v1',
    );
  }
  if (!model)
    throw new Error(`AI_BASE_URL is set but AI_MODEL is not: set it to a model that endpoint serves`);
  return { baseUrl, model, ...(apiKey ? { apiKey } : {}) };
}
