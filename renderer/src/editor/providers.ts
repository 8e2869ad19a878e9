// Completion, hover and format for `foliolab-mms`, from the language's own
// modules (the same ones the command line uses). Wired when core/lang lands them.
export function registerProviders(): void {}
