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
   * Decompress the download (Fedora CoreOS publishes `.qcow2.xz`); needs STREAM.
   * @default false
   */
  readonly decompress?: boolean;
}

/** Where a {@link MagnumImage}'s bits come from: a URL or a local file. */
export class ImageSource {
  /** An image published at a URL, e.g. Fedora's release server. */
  public static fromUrl(url: string, options: UrlImageOptions = {}): ImageSource {
    const transfer = options.transfer ?? (options.decompress ? ImageTransfer.STREAM : ImageTransfer.WEB_DOWNLOAD);
    return new ImageSource(url, undefined, transfer, options.decompress ?? false);
  }

  /** An image file on the machine that runs Terraform, uploaded as is. */
  public static fromFile(path: string): ImageSource {
    return new ImageSource(undefined, path, undefined, false);
  }

  private constructor(
    /** The URL, for URL sources. */
    public readonly url: string | undefined,
    /** The local path, for file sources. */
    public readonly path: string | undefined,
    /** The transfer method, for URL sources. */
    public readonly transfer: ImageTransfer | undefined,
    /** Whether the provider decompresses the download. */
    public readonly decompress: boolean,
  ) {}
}
