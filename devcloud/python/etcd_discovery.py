"""Loopback stand-in for discovery.etcd.io: magnum-conductor asks it for a
discovery URL at every cluster create and would otherwise reach the internet.
Usage: etcd_discovery.py PORT"""
import re
import sys
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PORT = int(sys.argv[1])


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):
        url = urlparse(self.path)
        if url.path == '/new':
            size = parse_qs(url.query).get('size', ['1'])[0]
            body = 'http://127.0.0.1:%d/d/%s-%s' % (PORT, uuid.uuid4().hex, size)
        else:
            match = re.match(r'^/d/[0-9a-f]+-(\d+)/_config/size$', url.path)
            if not match:
                self.send_response(404)
                self.end_headers()
                return
            body = '{"node": {"value": "%s"}}' % match.group(1)
        data = body.encode()
        self.send_response(200)
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


ThreadingHTTPServer(('127.0.0.1', PORT), Handler).serve_forever()
