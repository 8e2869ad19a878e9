// The engine host's bundled entry (out/main/chunks/engine-host-<hash>.js),
// emitted by electron-vite's `?modulePath` import. Kept apart so tests can
// import the rest of main without electron-vite's plugin.
import hostPath from '../host/engine-host?modulePath';

export default hostPath;
