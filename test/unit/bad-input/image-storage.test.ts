import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing, TerraformStack, TerraformVariable } from 'cdktf';
import {
  DiskFormat,
  ImageSource,
  ImageTransfer,
  ImageVisibility,
  MagnumImage,
  MagnumImageProps,
  OsDistro,
  UrlImageOptions,
  VolumeType,
  VolumeTypeProps,
} from '../../../lib';
import { describeRefusals, warningsOf } from '../../support/bad-input';
import { givenStack, onlyResource, resourcesOf } from '../../support/fixtures';

const file = ImageSource.fromFile('/tmp/image.qcow2');
const image = (stack: TerraformStack, props: Partial<MagnumImageProps> = {}) =>
  new MagnumImage(stack, 'img', { source: file, osDistro: OsDistro.FEDORA_COREOS, ...props });
const fromUrl = (stack: TerraformStack, url: string, options?: UrlImageOptions) => image(stack, { source: ImageSource.fromUrl(url, options) });
const fromFile = (stack: TerraformStack, p: string) => image(stack, { source: ImageSource.fromFile(p) });
const volumeType = (stack: TerraformStack, props: VolumeTypeProps) => new VolumeType(stack, 'vt', props);
const PROJECT = '6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f';

describeRefusals('Glance and the provider refuse at apply what these refuse at synth', [
  // glance common/utils.py: validate_import_uri, allowed_schemes default ['http', 'https'] (Zed; master same);
  // provider images_image_v2.go: resourceImagesImageV2File, Go's http.Client ("unsupported protocol scheme")
  [
    'ftp URL',
    (s) => fromUrl(s, 'ftp://mirror.example.org/fcos.qcow2'),
    /^test\/img: source = "ftp:\/\/mirror\.example\.org\/fcos\.qcow2": is not an http or https URL, the only ones Glance's web-download and the provider's download fetch\. Fix: give an http:\/\/ or https:\/\/ URL, or upload a file on this machine with ImageSource\.fromFile\.$/,
  ],
  // provider images_image_v2.go: resourceImagesImageV2File, Go's http.Client has no file:// transport
  [
    'file URL streamed',
    (s) => fromUrl(s, 'file:///images/fcos.qcow2', { transfer: ImageTransfer.STREAM }),
    /^test\/img: source = "file:\/\/\/images\/fcos\.qcow2": is not an http or https URL/,
  ],
  // glance common/utils.py: validate_import_uri, `not scheme` (Zed; master same); provider: Go's http.Client, unsupported protocol scheme ""
  [
    'URL without a scheme',
    (s) => fromUrl(s, 'images.example.org/fcos.qcow2'),
    /^test\/img: source = "images\.example\.org\/fcos\.qcow2": is not an http or https URL/,
  ],
  // glance common/utils.py: validate_import_uri, `not host` (Zed; master differs: normalize_hostname, same answer);
  // provider: Go's http.Client, "http: no Host in request URL"
  [
    'URL without a host',
    (s) => fromUrl(s, 'https:///fcos.qcow2'),
    /^test\/img: source = "https:\/\/\/fcos\.qcow2": has no host\. Fix: write it as http\(s\):\/\/host\/path\.$/,
  ],
  // glance async_/flows/plugins/image_decompression.py: MAGIC_NUMBERS has no xz (Zed; master same), so the image stays
  // compressed; master also refuses the data outright (glance/location.py: require_image_format_match)
  [
    'xz image by web-download without decompress',
    (s) => fromUrl(s, 'https://builds.example.org/fcos.qcow2.xz'),
    /^test\/img: source = "https:\/\/builds\.example\.org\/fcos\.qcow2\.xz": is xz-compressed and Glance's web-download stores it as is, which no server can boot\. Fix: set decompress: true, so the provider downloads and decompresses it\.$/,
  ],
  // provider resource_openstack_images_image_v2.go: resourceImagesImageV2Create uploads with imagedata.Upload, decompressing only with decompress
  [
    'zstd image streamed without decompress',
    (s) => fromUrl(s, 'https://e.org/fcos.raw.zst', { transfer: ImageTransfer.STREAM }),
    /^test\/img: source = "https:\/\/e\.org\/fcos\.raw\.zst": is zst-compressed and the provider uploads it as is, which no server can boot\. Fix: set decompress: true/,
  ],
  // provider images_image_v2.go: resourceImagesImageV2DetectCompression knows gzip, bzip2, xz and zstd only
  [
    'zip with decompress',
    (s) => fromUrl(s, 'https://e.org/fcos.qcow2.zip', { decompress: true }),
    /^test\/img: source = "https:\/\/e\.org\/fcos\.qcow2\.zip": is zip-compressed, which the provider cannot decompress \(it knows gzip, bzip2, xz and zstd\)\. Fix: decompress it yourself and upload the result with ImageSource\.fromFile\.$/,
  ],
  // provider images_image_v2.go: resourceImagesImageV2File returns local_file_path as is; decompress applies to downloads only
  [
    'compressed local file',
    (s) => fromFile(s, '/images/fcos.qcow2.xz'),
    /^test\/img: source = "\/images\/fcos\.qcow2\.xz": is xz-compressed and the provider uploads a local file as is, which no server can boot\. Fix: decompress it first/,
  ],
  // provider images_image_v2.go: resourceImagesImageV2File, an empty local_file_path is unset: "Error in config. no file specified"
  ['empty local path', (s) => fromFile(s, ''), /^test\/img: source = "": is empty\. Fix: give the path of the image file\.$/],
  // provider images_image_v2.go: resourceImagesImageV2FileProps -> fileMD5Checksum reads it, which fails on a directory
  ['local path that is a directory', (s) => fromFile(s, os.tmpdir()), /^test\/img: source = ".+": is a directory\. Fix: give the path of the image file\.$/],
  // provider resource_openstack_images_image_v2.go: visibility ValidateFunc; glance api/v2/images.py: get_base_properties, visibility enum (Zed; master same)
  [
    'visibility Glance does not know',
    (s) => image(s, { visibility: 'Public' as ImageVisibility }),
    /^test\/img: visibility = "Public": is not a visibility Glance and the provider accept\. Fix: use one of ImageVisibility\.PRIVATE, ImageVisibility\.PUBLIC, ImageVisibility\.SHARED, ImageVisibility\.COMMUNITY\.$/,
  ],
  // provider resource_openstack_images_image_v2.go: disk_format ValidateFunc; glance common/config.py: disk_formats (Zed; master same)
  [
    'disk format Glance does not know',
    (s) => image(s, { diskFormat: 'qcow' as DiskFormat }),
    /^test\/img: diskFormat = "qcow": is not a disk format Glance and the provider accept\. Fix: use DiskFormat\.QCOW2 or DiskFormat\.RAW\.$/,
  ],
  // glance common/utils.py: no_4byte_params on db/sqlalchemy/api.py: _image_update (Zed; master same)
  [
    'image name with an emoji',
    (s) => image(s, { name: 'fcos 🚀' }),
    /^test\/img: name = "fcos 🚀": contains characters outside the Basic Multilingual Plane \(e\.g\. emoji\), which Glance refuses\. Fix: remove them\.$/,
  ],
  // glance common/utils.py: no_4byte_params, property values too (Zed; master same)
  [
    'property value with an emoji',
    (s) => image(s, { properties: { hw_rng_model: 'virtio🎲' } }),
    /^test\/img: properties\.hw_rng_model = "virtio🎲": contains characters outside the Basic Multilingual Plane/,
  ],
  // glance api/v2/images.py: RequestDeserializer.create, _reserved_namespaces (common.GLANCE_RESERVED_NS), 403 (Zed; master same)
  [
    "property in Glance's reserved namespace",
    (s) => image(s, { properties: { os_glance_import_task: 'x' } }),
    /^test\/img: properties\.os_glance_import_task = "x": is a Glance image attribute or reserved name, not a free property: Glance refuses it or takes it as the image's own\. Fix: remove it, or use the prop of the same meaning where there is one\.$/,
  ],
  // glance api/v2/images.py: RequestDeserializer.create, _reserved_properties, 403 "Attribute 'deleted' is reserved." (Zed; master same)
  [
    'reserved property',
    (s) => image(s, { properties: { deleted: 'false' } }),
    /^test\/img: properties\.deleted = "false": is a Glance image attribute or reserved name/,
  ],
  // glance api/v2/images.py: RequestDeserializer.create, schema.validate: min_ram is an integer, the provider sends a string (Zed; master same)
  [
    'image attribute as a property',
    (s) => image(s, { properties: { min_ram: '2048' } }),
    /^test\/img: properties\.min_ram = "2048": is a Glance image attribute/,
  ],
  // glance domain/__init__.py: ImageFactory._check_readonly, 403 "Attribute 'status' is read-only." (Zed; master same)
  [
    'read-only attribute as a property',
    (s) => image(s, { properties: { status: 'active' } }),
    /^test\/img: properties\.status = "active": is a Glance image attribute/,
  ],
  // glance api/v2/images.py: RequestDeserializer.create, "Custom property should not be greater than 255 characters." (Zed; master same)
  [
    'property key over 255 characters',
    (s) => image(s, { properties: { ['k'.repeat(256)]: 'v' } }),
    /^test\/img: properties = \{"k+\.\.\.: has a key 256 characters long, which Glance refuses\. Fix: shorten the key to at most 255 characters\.$/,
  ],
  // magnum api/controllers/v1/cluster_template.py: ClusterTemplate.image_id, StringType(min_length=1) (Zed; master same)
  ['imported image with an empty id', (s) => MagnumImage.fromImageId(s, 'img', ''), /^test\/img: imageId = "": is empty\. Fix: give the Glance image id\.$/],
  // magnum api/controllers/v1/cluster_template.py: ClusterTemplate.image_id, StringType(max_length=255) (Zed; master same)
  [
    'imported image id over 255 characters',
    (s) => MagnumImage.fromImageAttributes(s, 'img', { imageId: 'i'.repeat(256) }),
    /^test\/img: imageId = "i+\.\.\.: is 256 characters long; Magnum takes at most 255/,
  ],
]);

describeRefusals('Cinder refuses at apply what these refuse at synth', [
  // cinder api/contrib/types_manage.py: _create, parameter_types.name minLength 1 -> no type has an empty name (Zed; master same)
  [
    'imported volume type with an empty name',
    (s) => VolumeType.fromVolumeTypeName(s, 'vt', ''),
    /^test\/vt: volumeTypeName = "": is empty\. Fix: give a non-empty name\.$/,
  ],
  // cinder api/validation/validators.py: _validate_name, "The 'name' can not be empty." after strip (Zed; master same)
  ['imported volume type with a blank name', (s) => VolumeType.fromVolumeTypeName(s, 'vt', '  '), /^test\/vt: volumeTypeName = " {2}": is empty/],
  // cinder db/sqlalchemy/api.py: volume_type_create raises VolumeTypeExists (409); db/migrations/versions/921e1a36b076_initial.py creates __DEFAULT__ (Zed; master same)
  [
    'volume type named __DEFAULT__',
    (s) => volumeType(s, { name: '__DEFAULT__' }),
    /^test\/vt: name = "__DEFAULT__": is the type Cinder creates itself, so creating it again fails with 409 Conflict\. Fix: pick another name, or use VolumeType\.fromVolumeTypeName\(scope, id, '__DEFAULT__'\) to use it\.$/,
  ],
  // cinder db/sqlalchemy/api.py: volume_type_create, _volume_type_get_by_name -> VolumeTypeExists (409) (Zed; master same)
  [
    'two volume types with one name',
    (s) => {
      new VolumeType(s, 'a', { name: 'ssd' });
      return new VolumeType(s, 'b', { name: 'ssd' });
    },
    /^test\/b: name = "ssd": is also the name of test\/a; Cinder refuses the second with 409 Conflict\. Fix: give each volume type its own name\.$/,
  ],
  // cinder api/validation/parameter_types.py: description maxLength 255 (Zed; master same)
  [
    'description over 255 characters with the owner mark',
    (s) => volumeType(s, { description: 'd'.repeat(224) }),
    /^test\/vt: description = "d+\.\.\.: is 224 characters long; with the 32-character owner mark this library appends, Cinder would refuse it \(at most 255\)\. Fix: shorten it to at most 223 characters\.$/,
  ],
  // cinder api/validation/parameter_types.py: valid_description_regex (printable, no line breaks) (Zed; master same)
  [
    'description on two lines',
    (s) => volumeType(s, { description: 'fast\nSSDs' }),
    /^test\/vt: description = "fast\\nSSDs": contains characters Cinder refuses in a description \(control characters, line breaks, or ones outside the Basic Multilingual Plane\)\. Fix: use printable characters on one line\.$/,
  ],
  // cinder api/schemas/volume_types.py: create, extra_specs patternProperties with additionalProperties false (Zed; master same)
  [
    'extra spec key with "="',
    (s) => volumeType(s, { extraSpecs: { 'capabilities:thin=yes': '<is> True' } }),
    /^test\/vt: extraSpecs = \{"capabilities:thin=yes":"<is> True"\}: has the key "capabilities:thin=yes", which Cinder refuses: keys are 1 to 255 of letters, digits and "-_:\. \/"\. Fix: rename the key\.$/,
  ],
  // cinder api/schemas/types_extra_specs.py: create (extra_specs_with_no_spaces_key), behind the provider's update of extra_specs (Zed; master same)
  [
    'extra spec key with a space',
    (s) => volumeType(s, { extraSpecs: { 'replication enabled': '<is> True' } }),
    /^test\/vt: extraSpecs = .*: has the key "replication enabled": Cinder creates the type with it but refuses a space or "\/" in every later change of extraSpecs\. Fix: rename the key without spaces or "\/"\.$/,
  ],
  // cinder api/validation/parameter_types.py: extra_specs, value maxLength 255 (Zed; master same)
  [
    'extra spec value over 255 characters',
    (s) => volumeType(s, { extraSpecs: { 'qos:note': 'v'.repeat(256) } }),
    /^test\/vt: extraSpecs\.qos:note = "v+\.\.\.: is 256 characters long, which Cinder refuses/,
  ],
  // cinder api/validation/parameter_types.py: extra_specs, value maxLength 255; volume_backend_name is an extra spec (Zed; master same)
  [
    'backend name over 255 characters',
    (s) => volumeType(s, { backendName: 'b'.repeat(256) }),
    /^test\/vt: backendName = "b+\.\.\.: is 256 characters long, which Cinder refuses/,
  ],
  // cinder api/contrib/types_extra_specs.py: _check_cacheable, "cacheable cannot be set with multiattach." (Zed; master same)
  [
    'cacheable with multiattach',
    (s) => volumeType(s, { extraSpecs: { cacheable: '<is> True', multiattach: '<is> True' } }),
    /^test\/vt: extraSpecs\.cacheable = "<is> True": is set with multiattach "<is> True": Cinder refuses the two together \("cacheable cannot be set with multiattach"\)\. Fix: remove one of them\.$/,
  ],
  // cinder db/sqlalchemy/api.py: volume_type_access_add raises VolumeTypeAccessExists (409) (Zed; master same)
  [
    'project granted twice',
    (s) => volumeType(s, { grantedProjectIds: [PROJECT, PROJECT] }),
    /^test\/vt: grantedProjectIds\[1\] = "6b2f1b6e0c3a4e0f9d5e8a7b6c5d4e3f": is listed twice; Cinder refuses the second grant with 409 Conflict\. Fix: list each project once\.$/,
  ],
  // cinder api/schemas/volume_type_access.py: add_project_access (Zed: parameter_types.uuid; master differs: minLength 1, same answer)
  [
    'empty project id',
    (s) => volumeType(s, { grantedProjectIds: [''] }),
    /^test\/vt: grantedProjectIds\[0\] = "": is not a project id\. Fix: give the Keystone project id\.$/,
  ],
]);

describe('warnings: what deploys only on some clouds, or only once a file exists', () => {
  test('a local image file missing at synth is a warning, and none once it exists', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'image-'));
    const present = path.join(dir, 'present.qcow2');
    fs.writeFileSync(present, 'QFI\xfb');
    const stack = givenStack();
    new MagnumImage(stack, 'missing', { source: ImageSource.fromFile(path.join(dir, 'missing.qcow2')), osDistro: OsDistro.FEDORA_COREOS });
    new MagnumImage(stack, 'present', { source: ImageSource.fromFile(present), osDistro: OsDistro.FEDORA_COREOS });
    Testing.synth(stack, true);
    Testing.synth(stack, true);
    expect(warningsOf(stack)).toEqual([
      `test/missing: source = "${path.join(dir, 'missing.qcow2')}": does not exist at synth; the provider opens it at apply. Fix: create the file before terraform apply, or correct the path.`,
    ]);
    fs.rmSync(dir, { recursive: true });
  });

  test('web-download from a port Glance filters by default', () => {
    const stack = givenStack();
    fromUrl(stack, 'http://mirror.example.org:8080/fcos.qcow2');
    new MagnumImage(stack, 'ok', { source: ImageSource.fromUrl('https://mirror.example.org:443/fcos.qcow2'), osDistro: OsDistro.FEDORA_COREOS });
    new MagnumImage(stack, 'streamed', {
      source: ImageSource.fromUrl('http://mirror.example.org:8080/fcos.qcow2', { transfer: ImageTransfer.STREAM }),
      osDistro: OsDistro.FEDORA_COREOS,
    });
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(
        /^test\/img: source = "http:\/\/mirror\.example\.org:8080\/fcos\.qcow2": uses port 8080, which Glance's web-download refuses unless the operator added it to \[import_filtering_opts\] allowed_ports\. Fix: use transfer: ImageTransfer\.STREAM/,
      ),
    ]);
  });

  test('web-download from a loopback host', () => {
    const stack = givenStack();
    fromUrl(stack, 'http://127.0.0.1/fcos.qcow2');
    new MagnumImage(stack, 'streamed', {
      source: ImageSource.fromUrl('http://localhost/fcos.qcow2', { transfer: ImageTransfer.STREAM }),
      osDistro: OsDistro.FEDORA_COREOS,
    });
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/^test\/img: source = "http:\/\/127\.0\.0\.1\/fcos\.qcow2": is on a loopback or link-local host/),
    ]);
  });

  test("web-download of a gzip image, which only Glance's optional plugin decompresses", () => {
    const stack = givenStack();
    fromUrl(stack, 'https://e.org/fcos.qcow2.gz');
    new MagnumImage(stack, 'decompressed', {
      source: ImageSource.fromUrl('https://e.org/fcos.qcow2.gz', { decompress: true }),
      osDistro: OsDistro.FEDORA_COREOS,
    });
    expect(warningsOf(stack)).toEqual([
      'test/img: source = "https://e.org/fcos.qcow2.gz": is gz-compressed and Glance stores a web-download as is unless the operator enabled its image_decompression import plugin; a compressed image does not boot. Fix: set decompress: true, so the provider downloads and decompresses it, or make sure the plugin is enabled.',
    ]);
  });

  test('a project id that is not a UUID, which only Cinder up to Zed refuses', () => {
    const stack = givenStack();
    new VolumeType(stack, 'legacy', { grantedProjectIds: ['admin-project'] });
    new VolumeType(stack, 'uuid', { grantedProjectIds: [PROJECT, '6b2f1b6e-0c3a-4e0f-9d5e-8a7b6c5d4e3f'] });
    expect(warningsOf(stack)).toEqual([
      expect.stringMatching(/^test\/legacy: grantedProjectIds\[0\] = "admin-project": is not a UUID, which Cinder up to Zed \(21\.x\) refuses/),
    ]);
  });
});

describe('values unknown until apply', () => {
  test('are neither validated nor rejected', () => {
    const stack = givenStack();
    const text = (id: string) => new TerraformVariable(stack, id, { type: 'string' }).stringValue;
    image(stack, { name: text('name'), source: ImageSource.fromUrl(text('url')) });
    new MagnumImage(stack, 'file', { source: ImageSource.fromFile(text('path')), osDistro: OsDistro.FEDORA_COREOS });
    MagnumImage.fromImageId(stack, 'imported', text('id'));
    VolumeType.fromVolumeTypeName(stack, 'vtImported', text('type'));
    volumeType(stack, { name: text('vtName'), description: text('description'), backendName: text('backend'), grantedProjectIds: [text('project')] });
    // THEN each reaches the JSON as the Terraform reference it stands for, with no warning
    const images = Object.values(resourcesOf(stack, 'openstack_images_image_v2'));
    expect(images.map((i) => [i.name, i.image_source_url, i.local_file_path])).toEqual([
      ['file', undefined, '${var.path}'],
      ['${var.name}', '${var.url}', undefined],
    ]);
    expect(onlyResource(stack, 'openstack_blockstorage_volume_type_v3')).toMatchObject({
      name: '${var.vtName}',
      description: expect.stringMatching(/^\$\{var\.description\} \(magnum-cdktf:[0-9a-f]{16}\)$/),
      extra_specs: { volume_backend_name: '${var.backend}' },
    });
    expect(onlyResource(stack, 'openstack_blockstorage_volume_type_access_v3')).toMatchObject({ project_id: '${var.project}' });
    expect(warningsOf(stack)).toEqual([]);
  });
});
