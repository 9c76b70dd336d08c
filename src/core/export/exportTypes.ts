// What an export returns: plain data, imported by the worker protocol (so this file imports nothing).

export interface ExportedFiles {
  onnx: string;
  tokenizer: string;
}

export interface OnnxExport {
  files: ExportedFiles;
  onnxBytes: number;
  /** Size of the model folder's weights.bin, for comparison. */
  weightsBytes: number;
  labels: string[];
  seconds: number;
}
