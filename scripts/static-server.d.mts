import type { Server } from 'node:http';
export declare const LOOPBACK: string;
export declare function startStaticServer(options: { root: string; port?: number }): Promise<{ server: Server; url: string; close(): Promise<void> }>;
