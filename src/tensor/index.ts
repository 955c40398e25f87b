/**
 * The tensor layer: the only module tree that imports TensorFlow.js. Everything above it uses `tf`
 * from here. Float32 policy: tensors are float32 (tfjs has no float64 on wasm/cpu); anything whose
 * rounding moves sampler decisions (energies, acceptance, adaptation statistics, sums of many
 * log-density terms) is kept or summed in float64 on the host.
 */
import * as tf from '@tensorflow/tfjs';

export { tf };
export type { Tensor, Tensor1D, Tensor2D, Tensor3D, Rank, TensorLike } from '@tensorflow/tfjs';
export * from './backend.js';
export * from './rng.js';
export * from './helpers.js';
