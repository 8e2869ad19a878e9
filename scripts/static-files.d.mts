export declare const CSP: string;
export declare function contentType(file: string): string;
export declare function resolveStaticPath(root: string, rawPath: string): string | null;
export declare function lookupStatic(root: string, rawPath: string): Promise<{ file: string; type: string } | null>;
