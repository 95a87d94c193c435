export type { VoxduplexModuleAsyncOptions, VoxduplexModuleOptions } from './options';
export { VoxduplexModule } from './voxduplex.module';
export { VoxduplexService } from './voxduplex.service';
