import { isAbsolute, relative, resolve, sep } from 'path';
import { App, Lazy, TerraformStack } from 'cdktf';
import { IConstruct } from 'constructs';
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
    return new ImageSource(url, undefined, transfer, options.decompress === true);
  }

  /**
   * An image file on the machine that runs Terraform, uploaded as is (so not compressed).
   *
   * A relative path means the file seen from the directory cdktf runs in. Terraform runs in
   * `cdktf.out/stacks/<stack>/`, so the configuration gets the path from there to the file:
   * relative still, so that another checkout of the same project plans the same image (the
   * provider replaces an image whose `local_file_path` changes). A file that does not exist at
   * synth is a warning, not an error: it may be produced after synth, before `terraform apply`.
   */
  public static fromFile(path: string): ImageSource {
    // An empty path stays empty, for MagnumImage to refuse rather than upload the working directory.
    const relative = path !== '' && !isUnresolved(path) && !isAbsolute(path);
    return new ImageSource(undefined, relative ? resolve(process.cwd(), path) : path, undefined, false, relative);
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
    /** Whether the path was given relative to the directory cdktf runs in. */
    private readonly givenRelative = false,
  ) {}

  /**
   * The file's path as the configuration of `scope`'s stack holds it: as given when absolute
   * (or a token), else relative to the stack's directory under the app's outdir, where Terraform runs.
   */
  public localFilePathFor(scope: IConstruct): string | undefined {
    const file = this.path;
    if (file === undefined || !this.givenRelative) return file;
    return Lazy.stringValue({
      produce: () =>
        relative(resolve(App.of(scope).outdir, 'stacks', TerraformStack.of(scope).node.id), file)
          .split(sep)
          .join('/'),
    });
  }
}
