#!/usr/bin/env python3
"""Records what a real Claude Code client sends to its ANTHROPIC_BASE_URL, as test fixtures.

Starts a small recording upstream on 127.0.0.1 (a free port), runs the given client command with
ANTHROPIC_BASE_URL pointed at it and a fake ANTHROPIC_API_KEY, answers every /v1/messages call with a short
Anthropic-format reply (SSE when the request streams) and count_tokens with a token count, and writes each request
it received into OUT as NAME-<n>-<kind>.json (method, path, headers in received order) plus
NAME-<n>-<kind>.body.json (the body bytes exactly as received).

    record-claude-code.py --out DIR --name print -- /path/to/claude -p "say hi"
    record-claude-code.py --out DIR --name interactive --tty -- /path/to/claude "say hi"

--tty runs the client in a pseudo-terminal (interactive mode) and ends it a few seconds after the first streamed
/v1/messages answer. The client runs in an empty folder with an empty HOME, both under /tmp (interactive mode:
with onboarding, the trust dialog and the fake key already accepted, so it does not prompt), and
DISABLE_AUTOUPDATER=1. Standard library only.
"""

import argparse
import json
import os
import pty
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

FAKE_KEY = 'sk-ant-api03-fake-recording-key'
REPLY_TEXT = 'Hi from the recording upstream.'
USAGE = {'input_tokens': 12, 'output_tokens': 7, 'cache_creation_input_tokens': 0, 'cache_read_input_tokens': 0}

received = []
received_lock = threading.Lock()


class Recorder(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, fmt, *args):
        pass

    def do_GET(self):
        self._record(b'')
        self._json(404, {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'not recorded'}})

    def do_POST(self):
        length = int(self.headers.get('Content-Length') or 0)
        body = self.rfile.read(length) if length else b''
        self._record(body)
        path = urlsplit(self.path).path
        try:
            request = json.loads(body) if body else {}
        except ValueError:
            request = {}
        if path.endswith('/v1/messages/count_tokens'):
            self._json(200, {'input_tokens': max(1, len(body) // 4)})
        elif path.endswith('/v1/messages'):
            self._message(request)
        else:
            self._json(404, {'type': 'error', 'error': {'type': 'not_found_error', 'message': 'not recorded'}})

    def _record(self, body):
        with received_lock:
            received.append({'method': self.command, 'path': self.path,
                             'headers': [[k, v] for k, v in self.headers.items()], 'body': body})

    def _json(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _message(self, request):
        model = request.get('model') or 'unknown'
        message = {'id': 'msg_recording_%d' % len(received), 'type': 'message', 'role': 'assistant',
                   'model': model, 'content': [], 'stop_reason': None, 'stop_sequence': None, 'usage': USAGE}
        if request.get('stream') is not True:
            message.update(content=[{'type': 'text', 'text': REPLY_TEXT}], stop_reason='end_turn')
            return self._json(200, message)
        events = [
            ('message_start', {'type': 'message_start', 'message': message}),
            ('content_block_start', {'type': 'content_block_start', 'index': 0,
                                     'content_block': {'type': 'text', 'text': ''}}),
            ('content_block_delta', {'type': 'content_block_delta', 'index': 0,
                                     'delta': {'type': 'text_delta', 'text': REPLY_TEXT}}),
            ('content_block_stop', {'type': 'content_block_stop', 'index': 0}),
            ('message_delta', {'type': 'message_delta', 'delta': {'stop_reason': 'end_turn', 'stop_sequence': None},
                               'usage': {'output_tokens': USAGE['output_tokens']}}),
            ('message_stop', {'type': 'message_stop'}),
        ]
        data = b''.join(('event: %s\ndata: %s\n\n' % (name, json.dumps(obj))).encode() for name, obj in events)
        self.send_response(200)
        self.send_header('Content-Type', 'text/event-stream; charset=utf-8')
        self.send_header('Content-Length', str(len(data)))
        self.end_headers()
        self.wfile.write(data)


def client_home(tty, workdir):
    home = tempfile.mkdtemp(prefix='claude-code-recording-')
    if tty:
        # what a user who has onboarded, trusted the folder and approved this key once has in ~/.claude.json
        with open(os.path.join(home, '.claude.json'), 'w') as f:
            json.dump({'hasCompletedOnboarding': True, 'theme': 'dark',
                       'customApiKeyResponses': {'approved': [FAKE_KEY[-20:]], 'rejected': []},
                       'projects': {workdir: {'hasTrustDialogAccepted': True,
                                                  'hasCompletedProjectOnboarding': True}}}, f)
    return home


def streamed_answers():
    with received_lock:
        return sum(1 for r in received if r['path'].split('?')[0].endswith('/v1/messages') and b'"stream":true' in r['body'])


def run_in_pty(command, env, workdir, limit_s, settle_s):
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(workdir)
        os.execvpe(command[0], command, env)
    deadline = time.time() + limit_s
    first_answer = None
    while time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                data = os.read(fd, 65536)
            except OSError:
                break
            if b'\x1b[6n' in data:  # the terminal UI asks where the cursor is
                os.write(fd, b'\x1b[1;1R')
        if first_answer is None and streamed_answers():
            first_answer = time.time()
        if first_answer is not None and time.time() - first_answer > settle_s:
            break
    os.kill(pid, signal.SIGTERM)
    time.sleep(1)
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    os.waitpid(pid, 0)
    return 0 if first_answer is not None else 1


def envelope(label, request):
    """The request line and headers as JSON, one header pair a line."""
    pairs = ',\n'.join('    ' + json.dumps(pair, ensure_ascii=False) for pair in request['headers'])
    return '{\n  "client": %s,\n  "method": %s,\n  "path": %s,\n  "headers": [\n%s\n  ]\n}\n' % (
        json.dumps(label, ensure_ascii=False), json.dumps(request['method']), json.dumps(request['path']), pairs)


LEFT_OUT = " [\u2026 {} characters of the client's own prompt text left out of this fixture]"


def cut(text, keep):
    if isinstance(text, str) and len(text) > keep + 40 and not text.endswith('left out of this fixture]'):
        return text[:keep] + LEFT_OUT.format(len(text) - keep)
    return text


def cut_descriptions(node):
    if isinstance(node, dict):
        for key, value in list(node.items()):
            node[key] = cut(value, 60) if key == 'description' else cut_descriptions(value) or value
    elif isinstance(node, list):
        for item in node:
            cut_descriptions(item)
    return None


def without_prompt_text(raw):
    """The body with the client's long prompt texts cut (see the fixtures' README); the structure stays."""
    try:
        body = json.loads(raw)
    except ValueError:
        return raw
    if not isinstance(body, dict):
        return raw
    system = body.get('system')
    if isinstance(system, list):
        for block in system:
            if isinstance(block, dict) and 'text' in block:
                block['text'] = cut(block['text'], 160)
    elif isinstance(system, str):
        body['system'] = cut(system, 160)
    for tool in body.get('tools') or []:
        if isinstance(tool, dict):
            if 'description' in tool:
                tool['description'] = cut(tool['description'], 80)
            cut_descriptions(tool.get('input_schema'))
    for message in body.get('messages') or []:
        content = message.get('content') if isinstance(message, dict) else None
        if isinstance(content, str):
            message['content'] = cut(content, 160)
        elif isinstance(content, list):
            for block in content:
                if isinstance(block, dict) and isinstance(block.get('text'), str):
                    block['text'] = cut(block['text'], 160)
    return json.dumps(body, ensure_ascii=False, separators=(',', ':')).encode('utf-8')


def write_fixtures(out, name, label):
    os.makedirs(out, exist_ok=True)
    with received_lock:
        requests = list(received)
    for n, r in enumerate(requests, 1):
        path = urlsplit(r['path']).path
        kind = 'count-tokens' if path.endswith('/count_tokens') else 'messages' if path.endswith('/messages') \
            else path.strip('/').replace('/', '-')
        stem = os.path.join(out, '%s-%d-%s' % (name, n, kind))
        with open(stem + '.json', 'w') as f:
            f.write(envelope(label, r))
        with open(stem + '.body.json', 'wb') as f:
            f.write(without_prompt_text(r['body']))
        print('%s %s -> %s.json' % (r['method'], r['path'], stem))
    return len(requests)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', required=True, help='folder for the fixture files')
    ap.add_argument('--name', required=True, help='file name prefix, e.g. print or interactive')
    ap.add_argument('--label', default='', help='free text stored as "client" in each file')
    ap.add_argument('--tty', action='store_true', help='run the client in a pseudo-terminal (interactive mode)')
    ap.add_argument('--timeout', type=int, default=120, help='seconds the client may take')
    ap.add_argument('command', nargs=argparse.REMAINDER, help='-- then the client command line')
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ['--'] else args.command
    if not command:
        ap.error('no client command given')

    server = ThreadingHTTPServer(('127.0.0.1', 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    # an empty folder, so that no project file, git state or CLAUDE.md of the caller ends up in the recording
    workdir = tempfile.mkdtemp(prefix='claude-code-workdir-')
    home = client_home(args.tty, workdir)
    env = {'PATH': os.environ.get('PATH', '/usr/bin:/bin'), 'HOME': home,
           'TERM': 'xterm-256color' if args.tty else 'dumb',
           'ANTHROPIC_BASE_URL': 'http://127.0.0.1:%d' % server.server_address[1],
           'ANTHROPIC_API_KEY': FAKE_KEY, 'DISABLE_AUTOUPDATER': '1'}
    try:
        if args.tty:
            code = run_in_pty(command, env, workdir, args.timeout, settle_s=8)
        else:
            code = subprocess.run(command, env=env, cwd=workdir, timeout=args.timeout).returncode
    finally:
        server.shutdown()
        shutil.rmtree(home, ignore_errors=True)
        shutil.rmtree(workdir, ignore_errors=True)
    count = write_fixtures(args.out, args.name, args.label or ' '.join(command))
    if code != 0 or count == 0:
        print('client exit %s, %d request(s) recorded' % (code, count), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    main()
