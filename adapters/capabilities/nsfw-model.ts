/**
 * The NSFW image classifier for nsfw-check: nsfwjs's models (trained on five classes), whose
 * weights ship inside its npm package as JavaScript modules, run on TensorFlow.js's pure-JS CPU
 * backend: nothing is downloaded at install or at run time, and no native binary is needed
 * (@tensorflow/tfjs-node would fetch one at install). A model is loaded once per process, on first
 * use (MobileNetV2: about 1.5 s and 100 MB here), and reused. Imported lazily by the plugin.
 *
 * Inference runs on the event loop (about 1 s per image on one core for MobileNetV2): the
 * CPU backend is synchronous JavaScript, so it cannot be interrupted midway, only not started.
 */
import type { ModelDefinition, NSFWJS } from 'nsfwjs/core';

/**
 * The models of nsfwjs's package taken here, by its names, with their square input size in pixels.
 * Not its InceptionV3: 30 MB of weights more in every bundle, and several times slower on the CPU.
 */
export const NSFW_MODELS = { MobileNetV2: 224, MobileNetV2Mid: 224 } as const;
export type NsfwModelName = keyof typeof NSFW_MODELS;
export const isNsfwModelName = (name: string): name is NsfwModelName => Object.hasOwn(NSFW_MODELS, name);

export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];
/** The classes whose probabilities add up to the NSFW score. */
export const UNSAFE_CLASSES: readonly NsfwClass[] = ['Hentai', 'Porn', 'Sexy'];

/**
 * Each model's definition: a tiny module (its weights' loaders, not the weights), there when
 * nsfwjs is installed. Named one by one, so a bundler takes these models' weights and no others.
 */
const DEFINITIONS: Readonly<Record<NsfwModelName, () => Promise<ModelDefinition>>> = {
  MobileNetV2: async () => (await import('nsfwjs/models/mobilenet_v2')).MobileNetV2Model,
  MobileNetV2Mid: async () => (await import('nsfwjs/models/mobilenet_v2_mid')).MobileNetV2MidModel,
};

/** Why the model cannot run here, or undefined when it can (cheap: loads neither TensorFlow.js nor the weights). */
export async function nsfwModelMissing(name: string): Promise<string | undefined> {
  if (!isNsfwModelName(name)) return `options.model is "${name}"; this plugin runs nsfwjs's ${Object.keys(NSFW_MODELS).join(', ')}`;
  try {
    await DEFINITIONS[name]();
    return undefined;
  } catch (error) {
    return `the nsfwjs package does not load here (${(error as Error).message.split('\n')[0]})`;
  }
}

const models = new Map<NsfwModelName, Promise<NSFWJS>>();

async function load(name: NsfwModelName): Promise<NSFWJS> {
  const tf = await import('@tensorflow/tfjs');
  // Production mode: no debug checks, and no console advice to install tfjs-node.
  tf.enableProdMode();
  await tf.setBackend('cpu');
  const [nsfwjs, definition] = await Promise.all([import('nsfwjs/core'), DEFINITIONS[name]()]);
  // nsfwjs announces the model on console.info at every load; the app logs through pino, so
  // muting console.info for the load hides nothing of ours.
  const info = console.info;
  console.info = () => undefined;
  try {
    return await nsfwjs.load(name, { modelDefinitions: [definition] });
  } finally {
    console.info = info;
  }
}

/** The loaded model (one load per process; a failed load is tried again on the next call). */
export function nsfwModel(name: NsfwModelName): Promise<NSFWJS> {
  let loading = models.get(name);
  if (!loading) {
    loading = load(name);
    loading.catch(() => models.delete(name));
    models.set(name, loading);
  }
  return loading;
}

/** The probability of each class for an RGB image of the model's input size (`size` × `size` × 3 bytes). */
export async function classifyRgb(name: NsfwModelName, rgb: Uint8Array): Promise<Record<NsfwClass, number>> {
  const size = NSFW_MODELS[name];
  if (rgb.byteLength !== size * size * 3) throw new Error(`expected ${size}×${size} RGB pixels, got ${rgb.byteLength} bytes`);
  const model = await nsfwModel(name);
  const tf = await import('@tensorflow/tfjs');
  const image = tf.tensor3d(Int32Array.from(rgb), [size, size, 3], 'int32');
  try {
    const predictions = await model.classify(image, NSFW_CLASSES.length);
    const scores = Object.fromEntries(NSFW_CLASSES.map((name) => [name, 0])) as Record<NsfwClass, number>;
    for (const { className, probability } of predictions) scores[className as NsfwClass] = probability;
    return scores;
  } finally {
    image.dispose();
  }
}
