// Multi-label export (issue 19) added a second output mode; single-label exports must stay byte for byte what they
// were. These digests of the ONNX file and the tokenizer file of four seeded single-label models (the LSTM alone
// and with a wide path, each one way and both ways) were recorded on the exporter before multi-label existed
// (commit 9124382). The producer version (Textcat's version) is blanked before hashing, so a release does not
// change them. A deliberate change to single-label export records new digests here and says why in its commit.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { onnx } from 'onnx-proto';
import { initBackend } from '../../src/core/backend';
import { exportOnnx } from '../../src/core/export/exportModel';
import { saveSyntheticModel } from '../shared/savedModels';

const DIGESTS: Record<string, { onnx: string; tokenizer: string }> = {
  bidirectional: {
    onnx: 'ffc127dfecfd0c7333636502f29c2dd71a08913586ff01585f28273e4cbec126',
    tokenizer: '1e70f2e611337479c6313005361d3c553a6a8d8a58f1e6c5c18cb03a3dfa09a8',
  },
  unidirectional: {
    onnx: '6ab0795c2ff06399b6fde03d83885706c07edb45e23f36bfa545c3ebd0969c92',
    tokenizer: 'a634c9d7f6d46f4d85c2dec390f038a63ccefdfba7ccc962bc91997ffdba3f9a',
  },
  'wide bidirectional': {
    onnx: 'a7d10b541c1458082c855076c6279595f320e61dea36a355175d7906d283eabf',
    tokenizer: 'b3d080e523bf880b785cfd5defdda9a12014f2236f3b13ea2bf86c4f6166ce58',
  },
  'wide unidirectional': {
    onnx: 'f5b20228359bfbe4d50f971077bfa8a56531b515b0156f89df4af8fa2aaa5c41',
    tokenizer: '2f1136f79623e2d121514bfa84723c3a27a5c78fa8b29a487308cab5f2b47d98',
  },
};

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');

describe('single-label ONNX exports are byte for byte what they were before multi-label', () => {
  let dir: string;

  before(async () => {
    await initBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'textcat-export-unchanged-'));
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [i, [name, expected]] of Object.entries(DIGESTS).entries()) {
    it(name, async () => {
      const modelDir = path.join(dir, `model-${i}`);
      await saveSyntheticModel(modelDir, {
        bidirectional: !name.includes('unidirectional'),
        wide: name.startsWith('wide'),
        labels: ['a', 'b', 'c'],
        seed: 40 + i,
      });
      const exported = await exportOnnx(modelDir, path.join(dir, `model-${i}.onnx`));
      const model = onnx.ModelProto.decode(fs.readFileSync(exported.files.onnx));
      model.producerVersion = '';
      const digests = {
        onnx: sha256(onnx.ModelProto.encode(model).finish()),
        tokenizer: sha256(fs.readFileSync(exported.files.tokenizer)),
      };
      assert.deepEqual(digests, expected);
    });
  }
});
