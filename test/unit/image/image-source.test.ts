import * as path from 'path';
import { TerraformVariable } from 'cdktf';
import { ImageSource, ImageTransfer, MagnumImage, OsDistro } from '../../../lib';
import { givenStack, onlyResource } from '../../support/fixtures';

describe('ImageSource', () => {
  test('fromFile resolves a relative path against the directory cdktf runs in, not Terraform\'s', () => {
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

  test('the synthesized local_file_path of a relative file is absolute', () => {
    const stack = givenStack();
    new MagnumImage(stack, 'fcos', { source: ImageSource.fromFile('fcos.qcow2'), osDistro: OsDistro.FEDORA_COREOS });
    expect(onlyResource(stack, 'openstack_images_image_v2').local_file_path).toBe(path.join(process.cwd(), 'fcos.qcow2'));
  });

  test('fromUrl web-downloads unless asked to decompress', () => {
    expect(ImageSource.fromUrl('https://e.org/a.qcow2').transfer).toBe(ImageTransfer.WEB_DOWNLOAD);
    expect(ImageSource.fromUrl('https://e.org/a.qcow2.xz', { decompress: true }).transfer).toBe(ImageTransfer.STREAM);
  });
});
