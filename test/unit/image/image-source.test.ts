import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Testing, TerraformStack, TerraformVariable } from 'cdktf';
import { ImageSource, ImageTransfer, MagnumImage, OpenstackProvider, OsDistro } from '../../../lib';
import { givenStack, onlyResource } from '../../support/fixtures';

/** An image uploaded from a file, as synthesized: the path Terraform opens. */
interface FileImage {
  readonly local_file_path: string;
}

describe('ImageSource', () => {
  test("fromFile resolves a relative path against the directory cdktf runs in, not Terraform's", () => {
    // GIVEN a path relative to where the user runs cdktf
    const source = ImageSource.fromFile('images/fcos.qcow2');
    // THEN it is absolute, so Terraform in cdktf.out/stacks/<stack>/ opens the same file
    expect(source.path).toBe(path.join(process.cwd(), 'images', 'fcos.qcow2'));
  });

  test('fromFile leaves absolute paths, tokens and the empty path as given', () => {
    const stack = givenStack();
    const token = new TerraformVariable(stack, 'image', { type: 'string' }).stringValue;
    expect(ImageSource.fromFile('/images/fcos.qcow2').path).toBe('/images/fcos.qcow2');
    expect(ImageSource.fromFile(token).path).toBe(token);
    expect(ImageSource.fromFile('').path).toBe('');
  });

  test("a relative file is written relative to the stack's directory, where Terraform opens it", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, 'images');
    new OpenstackProvider(stack, 'openstack', {});
    new MagnumImage(stack, 'fcos', { source: ImageSource.fromFile('fcos.qcow2'), osDistro: OsDistro.FEDORA_COREOS });
    const written = onlyResource<FileImage>(stack, 'openstack_images_image_v2').local_file_path;
    expect(path.isAbsolute(written)).toBe(false);
    expect(path.resolve(app.outdir, 'stacks', 'images', written)).toBe(path.join(process.cwd(), 'fcos.qcow2'));
  });

  test('two checkouts of one project synthesize the same local_file_path (the provider replaces an image whose path changes)', () => {
    const synthIn = (root: string) => {
      const saved = process.cwd();
      fs.mkdirSync(root, { recursive: true });
      process.chdir(root);
      try {
        const app = new App({ outdir: path.join(root, 'cdktf.out') });
        const stack = new TerraformStack(app, 'images');
        new OpenstackProvider(stack, 'openstack', {});
        new MagnumImage(stack, 'fcos', { source: ImageSource.fromFile('images/fcos.qcow2'), osDistro: OsDistro.FEDORA_COREOS });
        return onlyResource<FileImage>(stack, 'openstack_images_image_v2').local_file_path;
      } finally {
        process.chdir(saved);
      }
    };
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'checkouts-'));
    const first = synthIn(path.join(base, 'alice', 'magnum'));
    expect(synthIn(path.join(base, 'ci', 'builds', 'magnum'))).toBe(first);
    expect(first).toBe('../../../images/fcos.qcow2');
  });

  test('fromUrl web-downloads unless asked to decompress', () => {
    expect(ImageSource.fromUrl('https://e.org/a.qcow2').transfer).toBe(ImageTransfer.WEB_DOWNLOAD);
    expect(ImageSource.fromUrl('https://e.org/a.qcow2.xz', { decompress: true }).transfer).toBe(ImageTransfer.STREAM);
  });
});
