// Where a model lives unless the user says otherwise, for the CLI (--out, --model) and the extension (textcat.modelPath).
// package.json's activationEvents repeats it (`workspaceContains:.textcat/model/textcat.json`): JSON cannot import.
export const DEFAULT_MODEL_DIR = '.textcat/model';

/**
 * The most classes a model may have, for training (the CLI and the worker), the model loader and the extension
 * alike. Chosen for what the editor can show: each class drawn gets a decoration type, a quick pick lists every
 * class, and the sidebar's per-class table and confusion matrix are read by a person. BANKING77's 77 intents are
 * far inside it; a label column of ids (a million distinct values) is refused rather than trained.
 */
export const MAX_CLASSES = 1000;
