/**
 * ai-embedding: one vector per text from the language model port's embedding model
 * (OPENAI_EMBEDDING_MODEL / AZURE_OPENAI_EMBEDDING_DEPLOYMENT), or the offline provider's hashed
 * bag-of-words vectors when no model is configured (`offline: true` says so).
 */
import { numberOption } from '../../../domain/capabilities/config.ts';
import { invalidInput, pluginUnavailable } from '../../../domain/capabilities/errors.ts';
import { definePlugin } from '../../../domain/capabilities/plugin.ts';
import { checkTextLengths, onDeadline, TEXT_CEILING, textSchema, usageData } from '../model-plugin.ts';

export interface EmbeddingInput {
  text?: string;
  texts?: string[];
  dimensions?: number;
}

/** The schema's ceilings; plugins.yaml's max_texts and max_dimensions may only lower them. */
const TEXTS_CEILING = 2048; // OpenAI's cap on inputs per request
const DIMENSIONS_CEILING = 3072; // text-embedding-3-large's full length
const DEFAULT_MAX_TEXTS = 100;
const DEFAULT_MAX_DIMENSIONS = 1536; // text-embedding-3-small's full length

/** Float32 is all a model sends: 8 significant digits keep every bit of it and halve the JSON. */
const compact = (vector: readonly number[]) => vector.map((value) => Number(value.toPrecision(8)));

export default definePlugin<EmbeddingInput>({
  name: 'ai-embedding',
  display_name: 'Text embeddings',
  category: 'ai',
  mode: 'both',
  limits: { max_texts: TEXTS_CEILING, max_text_chars: TEXT_CEILING, max_dimensions: DIMENSIONS_CEILING },
  inputSchema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      text: textSchema('One text to embed.'),
      texts: {
        type: 'array',
        minItems: 1,
        maxItems: TEXTS_CEILING,
        items: textSchema('A text to embed.'),
        description: 'Several texts to embed; the vectors come back in the same order.',
      },
      dimensions: {
        type: 'integer',
        minimum: 1,
        maximum: DIMENSIONS_CEILING,
        description: "The vectors' length, for models that can shorten them (text-embedding-3); default the model's own.",
      },
    },
    // Exactly one of text and texts (each branch names its property, as ajv's strict mode asks).
    oneOf: [
      { required: ['text'], properties: { text: true } },
      { required: ['texts'], properties: { texts: true } },
    ],
  },
  async process(input, ctx) {
    const texts = input.texts ?? [input.text!];
    const field = input.texts ? 'texts' : 'text';
    const maxTexts = numberOption(ctx.config, 'max_texts', DEFAULT_MAX_TEXTS);
    if (texts.length > maxTexts) {
      throw invalidInput(`${texts.length} texts were given; at most ${maxTexts} are taken per call.`, [{ pointer: '/body/input/texts', detail: `at most ${maxTexts} items` }]);
    }
    const maxDimensions = numberOption(ctx.config, 'max_dimensions', DEFAULT_MAX_DIMENSIONS);
    if (input.dimensions !== undefined && input.dimensions > maxDimensions) {
      throw invalidInput(`dimensions is ${input.dimensions}; this deployment's model gives at most ${maxDimensions}.`, [{ pointer: '/body/input/dimensions', detail: `at most ${maxDimensions}` }]);
    }
    checkTextLengths(ctx.config, texts.map((text, i) => ({ pointer: field === 'texts' ? `/body/input/texts/${i}` : '/body/input/text', text })));
    const embed = ctx.model.embed?.bind(ctx.model);
    if (!embed) throw pluginUnavailable('ai-embedding', 'the language model configured here cannot embed text');
    const result = await onDeadline(ctx.deadline, (signal) =>
      embed({ task: 'capabilities.ai-embedding', input: texts, signal, ...(input.dimensions === undefined ? {} : { dimensions: input.dimensions }) }),
    );
    return {
      vectors: result.vectors.map(compact),
      model: result.model,
      dimensions: result.vectors[0]?.length ?? 0,
      usage: usageData(result.usage),
      offline: result.offline,
    };
  },
});
