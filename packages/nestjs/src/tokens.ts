/** Injection token of the module's resolved {@link VoxduplexModuleOptions}. */
export const VOXDUPLEX_OPTIONS = Symbol('VOXDUPLEX_OPTIONS');
