/** Where `npm start` runs the bundled server from. */
export declare const serverBundle: string;
/** True when the bundle is missing or older than its sources. */
export declare function serverIsStale(): boolean;
/** Bundles the server when stale. */
export declare function ensureServerBuilt(options?: { quiet?: boolean }): Promise<void>;
