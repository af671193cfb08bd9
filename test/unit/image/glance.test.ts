import { compressionOf, urlParts } from '../../../lib/private/glance';

describe('Glance helpers', () => {
  test('urlParts reads scheme, host and port as urlparse does', () => {
    expect(urlParts('HTTPS://User:pw@Mirror.Example.org:8443/a.qcow2?x=1')).toEqual({ scheme: 'https', host: 'mirror.example.org', port: 8443 });
    expect(urlParts('http://[::1]:8080/a')).toEqual({ scheme: 'http', host: '::1', port: 8080 });
    expect(urlParts('https:///a.qcow2')).toEqual({ scheme: 'https', host: '', port: undefined });
    expect(urlParts('https:example.org/a.qcow2')).toEqual({ scheme: 'https', host: '', port: undefined });
    expect(urlParts('/images/a.qcow2')).toBeUndefined();
  });

  test('compressionOf reads the last extension of the path, not of the query', () => {
    expect(compressionOf('https://e.org/fcos.qcow2.xz')).toBe('xz');
    expect(compressionOf('https://e.org/fcos.qcow2.XZ?sig=1')).toBe('xz');
    expect(compressionOf('/images/fcos.raw.zst')).toBe('zst');
    expect(compressionOf('https://e.org/download?file=fcos.qcow2.xz')).toBeUndefined();
    expect(compressionOf('https://e.org/fcos.qcow2')).toBeUndefined();
  });
});
