export * from './families';
export { toVoxError } from './to-vox-error';
export { type SerializedVoxError, VoxError, type VoxErrorCode, type VoxErrorOptions } from './vox-error';
