import * as fs from 'fs';
import { Aspects } from 'cdktf';
import { IConstruct } from 'constructs';
import { ValidationError } from '../core/validation-error';
import { Cidr, cidrContains, parseCidr, parseIp } from './ip';
import { lengthInCodePoints, MAX_STRING_LENGTH } from './openstack-strings';
import { isUnresolved } from './tokens';
import { warn } from './warn';

/*
 * What Glance (Zed 25.1.0, and master where it differs) and terraform-provider-openstack 3.4.0
 * refuse in an image, or what could never boot, as checks that throw a ValidationError at synth.
 * Each rule names the upstream code that applies it. Tokens are never checked.
 */

/**
 * `disk_format` values: the provider's ValidateFunc (resource_openstack_images_image_v2.go) and
 * Glance's `[image_format] disk_formats` default (glance/common/config.py) hold the same list.
 */
export const DISK_FORMATS = ['ami', 'ari', 'aki', 'vhd', 'vhdx', 'vmdk', 'raw', 'qcow2', 'vdi', 'iso', 'ploop'];

/**
 * Names the property map must not hold: they are image attributes (glance/api/v2/images.py:
 * get_base_properties) or reserved (RequestDeserializer._reserved_properties). gophercloud's
 * images.CreateOpts.ToImageCreateMap merges properties into the top level of the request, so
 * Glance refuses them (400 on type or enum, 403 read-only or reserved) or takes them as the image's own.
 */
const GLANCE_ATTRIBUTES = new Set([
  'id',
  'name',
  'status',
  'visibility',
  'protected',
  'os_hidden',
  'checksum',
  'os_hash_algo',
  'os_hash_value',
  'owner',
  'size',
  'virtual_size',
  'container_format',
  'disk_format',
  'created_at',
  'updated_at',
  'tags',
  'direct_url',
  'min_ram',
  'min_disk',
  'self',
  'file',
  'stores',
  'schema',
  'locations',
  'location',
  'deleted',
  'deleted_at',
]);

/** Glance's own property namespace (glance/api/common.py: GLANCE_RESERVED_NS), refused with 403. */
const GLANCE_RESERVED_PREFIX = 'os_glance';

/** Characters outside the BMP, which glance/common/utils.py: no_4byte_params refuses in every DB write. */
const FOUR_BYTE = /[\u{10000}-\u{10FFFF}]/u;

/** Ports Glance's web-download takes by default (glance/async_/flows/_internal_plugins: allowed_ports). */
const WEB_DOWNLOAD_PORTS = [80, 443];

/** Loopback and link-local networks, which patched Glance refuses to web-download from. */
const LOCAL_NETWORKS = ['127.0.0.0/8', '169.254.0.0/16', '::1/128', 'fe80::/10'].map((c) => parseCidr(c) as Cidr);

/**
 * Compressed image files by extension and who can decompress them. The provider decompresses a
 * download by its Content-Type or Content-Disposition (images_image_v2.go:
 * resourceImagesImageV2DetectCompression: gzip, bzip2, xz, zstd), never a local file. Glance's
 * image_decompression import plugin (glance/async_/flows/plugins/image_decompression.py:
 * MAGIC_NUMBERS: zip, lha, gzip) runs only on web-download, and only where the operator enabled it.
 * Anything else stays compressed, which no server boots; Glance since 2024.2 even refuses the
 * upload (glance/location.py: require_image_format_match).
 */
const COMPRESSIONS: Record<string, { provider: boolean; glancePlugin: boolean }> = {
  gz: { provider: true, glancePlugin: true },
  bz2: { provider: true, glancePlugin: false },
  xz: { provider: true, glancePlugin: false },
  zst: { provider: true, glancePlugin: false },
  zip: { provider: false, glancePlugin: true },
};

/** The compression a file name or URL path ends in, if one this table knows. */
export function compressionOf(pathOrUrl: string): string | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(pathOrUrl.split(/[?#]/)[0])?.[1].toLowerCase();
  return ext !== undefined && ext in COMPRESSIONS ? ext : undefined;
}

/** Scheme, host and port of a URL as Python's urlparse and Go's url.Parse read them. */
export function urlParts(url: string): { scheme: string; host: string; port?: number } | undefined {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):(?:\/\/([^/?#]*))?/.exec(url);
  if (!m) {
    return undefined;
  }
  const hostPort = (m[2] ?? '').slice((m[2] ?? '').lastIndexOf('@') + 1);
  const hp = /^\[([^\]]*)\](?::(\d*))?$/.exec(hostPort) ?? /^([^:]*)(?::(\d*))?$/.exec(hostPort);
  return { scheme: m[1].toLowerCase(), host: (hp?.[1] ?? hostPort).toLowerCase(), port: hp?.[2] ? Number(hp[2]) : undefined };
}

/** Refuses a URL neither transfer can fetch, and compressions nothing will undo. */
export function checkImageUrl(scope: IConstruct, field: string, url: string, webDownload: boolean, decompress: boolean): void {
  if (isUnresolved(url)) {
    return;
  }
  // resource_openstack_images_image_v2.go schema: web_download ConflictsWith decompress.
  if (decompress && webDownload) {
    throw new ValidationError(
      scope,
      field,
      url,
      'asks Glance to decompress a web-download, which it cannot',
      'use ImageSource.fromUrl(url, { decompress: true }) without a transfer, or transfer: ImageTransfer.STREAM',
    );
  }
  const parts = urlParts(url);
  // glance/common/utils.py: validate_import_uri (allowed_schemes default http, https); the provider's
  // download is Go's http.Client, which speaks nothing else. An operator could widen allowed_schemes,
  // but STREAM could not follow, and file:// would read Glance's own disk.
  if (parts === undefined || !['http', 'https'].includes(parts.scheme)) {
    throw new ValidationError(
      scope,
      field,
      url,
      "is not an http or https URL, the only ones Glance's web-download and the provider's download fetch",
      'give an http:// or https:// URL, or upload a file on this machine with ImageSource.fromFile',
    );
  }
  if (parts.host === '') {
    throw new ValidationError(scope, field, url, 'has no host', 'write it as http(s)://host/path');
  }
  checkUrlCompression(scope, field, url, webDownload, decompress);
  if (webDownload) {
    warnWebDownloadFilter(scope, field, url, parts.host, parts.port);
  }
}

function checkUrlCompression(scope: IConstruct, field: string, url: string, webDownload: boolean, decompress: boolean): void {
  const ext = compressionOf(url);
  if (ext === undefined) {
    return;
  }
  const { provider, glancePlugin } = COMPRESSIONS[ext];
  const yourself = 'decompress it yourself and upload the result with ImageSource.fromFile';
  if (decompress && !provider) {
    throw new ValidationError(scope, field, url, `is ${ext}-compressed, which the provider cannot decompress (it knows gzip, bzip2, xz and zstd)`, yourself);
  }
  if (decompress) {
    return;
  }
  const fix = provider ? 'set decompress: true, so the provider downloads and decompresses it' : yourself;
  if (webDownload && glancePlugin) {
    warn(
      scope,
      field,
      url,
      `is ${ext}-compressed and Glance stores a web-download as is unless the operator enabled its image_decompression import plugin; a compressed image does not boot`,
      `${fix}, or make sure the plugin is enabled`,
    );
    return;
  }
  const who = webDownload ? "Glance's web-download stores it" : 'the provider uploads it';
  throw new ValidationError(scope, field, url, `is ${ext}-compressed and ${who} as is, which no server can boot`, fix);
}

/**
 * Glance filters web-download URLs by the operator's `[import_filtering_opts]`; with its defaults
 * (glance/common/utils.py: validate_import_uri) a port other than 80 or 443 is refused, and Zed as
 * patched for CVE-2026-71196..71198 (Debian's 25.1.0, the local cloud) refuses loopback and
 * link-local hosts (resolve_pinned_address). The operator can open both, hence warnings.
 */
function warnWebDownloadFilter(scope: IConstruct, field: string, url: string, host: string, port: number | undefined): void {
  const stream = 'use transfer: ImageTransfer.STREAM (the provider downloads it on the machine running Terraform)';
  if (port !== undefined && !WEB_DOWNLOAD_PORTS.includes(port)) {
    warn(
      scope,
      field,
      url,
      `uses port ${port}, which Glance's web-download refuses unless the operator added it to [import_filtering_opts] allowed_ports`,
      `${stream}, or serve it on port 80 or 443`,
    );
  }
  const ip = parseIp(host);
  if (host === 'localhost' || (ip !== undefined && LOCAL_NETWORKS.some((n) => cidrContains(n, ip)))) {
    warn(scope, field, url, 'is on a loopback or link-local host: Glance would fetch it from its own host, and patched Glance refuses it', stream);
  }
}

/**
 * Refuses a local file the provider cannot upload as a bootable image. A file missing now is
 * only warned about, at synth: it may be produced after synth, before `terraform apply`.
 */
export function checkImageFile(scope: IConstruct, field: string, path: string): void {
  if (isUnresolved(path)) {
    return;
  }
  // images_image_v2.go: resourceImagesImageV2File treats an empty local_file_path as unset: "no file specified".
  if (path === '') {
    throw new ValidationError(scope, field, path, 'is empty', 'give the path of the image file');
  }
  // images_image_v2.go: resourceImagesImageV2FileProps reads the file to checksum it, which fails on a directory.
  if (fs.existsSync(path) && fs.statSync(path).isDirectory()) {
    throw new ValidationError(scope, field, path, 'is a directory', 'give the path of the image file');
  }
  const ext = compressionOf(path);
  if (ext !== undefined) {
    throw new ValidationError(
      scope,
      field,
      path,
      `is ${ext}-compressed and the provider uploads a local file as is, which no server can boot`,
      'decompress it first and give the decompressed file, or use ImageSource.fromUrl(url, { decompress: true })',
    );
  }
  warnIfMissingAtSynth(scope, field, path);
}

function warnIfMissingAtSynth(scope: IConstruct, field: string, path: string): void {
  let warned = false;
  Aspects.of(scope).add({
    visit: (node) => {
      if (node !== scope || warned || fs.existsSync(path)) {
        return;
      }
      warned = true;
      warn(scope, field, path, 'does not exist at synth; the provider opens it at apply', 'create the file before terraform apply, or correct the path');
    },
  });
}

/** Refuses text with characters outside the BMP (glance/common/utils.py: no_4byte_params, Zed; master same). */
export function checkGlanceText(scope: IConstruct, field: string, text: string | undefined): void {
  if (text !== undefined && !isUnresolved(text) && FOUR_BYTE.test(text)) {
    throw new ValidationError(scope, field, text, 'contains characters outside the Basic Multilingual Plane (e.g. emoji), which Glance refuses', 'remove them');
  }
}

/** Refuses property keys Glance refuses or reads as image attributes, and text it cannot store. */
export function checkGlanceProperties(scope: IConstruct, field: string, properties: { [key: string]: string } | undefined): void {
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (isUnresolved(key)) {
      continue;
    }
    const at = `${field}.${key}`;
    if (GLANCE_ATTRIBUTES.has(key) || key.startsWith(GLANCE_RESERVED_PREFIX)) {
      throw new ValidationError(
        scope,
        at,
        value,
        "is a Glance image attribute or reserved name, not a free property: Glance refuses it or takes it as the image's own",
        'remove it, or use the prop of the same meaning where there is one',
      );
    }
    // glance/api/v2/images.py: RequestDeserializer.create refuses a key over 255 characters.
    if (lengthInCodePoints(key) > MAX_STRING_LENGTH) {
      throw new ValidationError(
        scope,
        field,
        properties,
        `has a key ${lengthInCodePoints(key)} characters long, which Glance refuses`,
        `shorten the key to at most ${MAX_STRING_LENGTH} characters`,
      );
    }
    checkGlanceText(scope, at, key);
    checkGlanceText(scope, at, value);
  }
}
