/**
 * Forwarding module for parallel.ts and sampleWorker.ts only: the model-source contract now lives in
 * src/ppl/modelSource.ts (so models/ can name it without loading inference). Those two files are
 * being rewritten separately; once their import lines point at ../ppl/modelSource.js this file goes.
 * Nothing else may import it (the index does not re-export it).
 */
export { loadModel, type ModelFactory, type ModelSource } from '../ppl/modelSource.js';
