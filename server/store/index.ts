export { newId } from './ids.js';
export { KyselyStore } from './kysely-store.js';
export { MIGRATIONS, migrateToLatest } from './migrations.js';
export { describeDatabase, type OpenStoreOptions, openStore } from './open.js';
export { loadSeedData, loadSeedFile, type SeedOptions, type SeedResult, seedDemo } from './seed.js';
export type { InsertMessageResult, Member, RoomOfUser, Store, StoreDialect } from './store.js';
export * from './types.js';
