// The package version, reported as the instrumentation scope version (a test keeps it equal to package.json).
/** The package version, as package.json says it. */
export const VERSION = '0.1.0';
