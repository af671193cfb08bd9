import { resolve } from 'path';
import { isUnresolved } from '../private/tokens';

/** How Glance receives an image's bits. */
export enum ImageTransfer {
  /** Glance's web-download import: Glance fetches the URL itself, Terraform only waits. */
  WEB_DOWNLOAD = 'web-download',
  /** The provider downloads the URL and streams it to Glance (works where Glance has no egress). */
  STREAM = 'stream',
}

/** Options of {@link ImageSource.fromUrl}. */
export interface UrlImageOptions {
  /**
   * How the bits travel.
   * @default ImageTransfer.WEB_DOWNLOAD, or STREAM when `decompress` is set
   */
  readonly transfer?: ImageTransfer;
  /**
   * Decompress the download (Fedora CoreOS publishes `.qcow2.xz`); needs STREAM. The provider
   * decompresses gzip, bzip2, xz and zstd, recognised by the server's Content-Type or
   * Content-Disposition. Without it a URL ending in `.gz`, `.bz2`, `.xz`, `.zst` or `.zip` is
   * refused, as the image would hold compressed bits no server boots (a web-download of `.gz` or
   * `.zip` is only warned about: Glance's optional image_decompression plugin takes those).
   * @default false
   */
  readonly decompress?: boolean;
}

/** Where a {@link MagnumImage}'s bits come from: a URL or a local file. */
export class ImageSource {
  /**
   * An image published at an http(s) URL, e.g. Fedora's release server. With web-download, Glance
   * fetches it through the operator's `[import_filtering_opts]`: by default ports 80 and 443 only.
   */
  public static fromUrl(url: string, options: UrlImageOptions = {}): ImageSource {
    const transfer = options.transfer ?? (options.decompress ? ImageTransfer.STREAM : ImageTransfer.WEB_DOWNLOAD);
    return new ImageSource(url, undefined, transfer, options.decompress ?? false);
  }

  /**
   * An image file on the machine that runs Terraform, uploaded as is (so not compressed).
   *
   * A relative path is resolved now, against the directory cdktf runs in: Terraform runs in
   * `cdktf.out/stacks/<stack>/`, where it would mean another file. A file that does not exist at
   * synth is a warning, not an error: it may be produced after synth, before `terraform apply`.
   */
  public static fromFile(path: string): ImageSource {
    // An empty path stays empty, for MagnumImage to refuse rather than upload the working directory.
    const absolute = path === '' || isUnresolved(path) ? path : resolve(process.cwd(), path);
    return new ImageSource(undefined, absolute, undefined, false);
  }

  private constructor(
    /** The URL, for URL sources. */
    public readonly url: string | undefined,
    /** The local path, absolute unless a token, for file sources. */
    public readonly path: string | undefined,
    /** The transfer method, for URL sources. */
    public readonly transfer: ImageTransfer | undefined,
    /** Whether the provider decompresses the download. */
    public readonly decompress: boolean,
  ) {}
}
