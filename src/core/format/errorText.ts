// What a caught value says, whatever was thrown: the message for a person, the stack for a log.

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stack when there is one (a bug's report), else the message. */
export function errorDetail(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
