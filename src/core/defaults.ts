// Where a model lives unless the user says otherwise, for the CLI (--out, --model) and the extension (textcat.modelPath).
// package.json's activationEvents repeats it (`workspaceContains:.textcat/model/textcat.json`): JSON cannot import.
export const DEFAULT_MODEL_DIR = '.textcat/model';
