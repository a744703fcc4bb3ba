"""Drives examples/http_server on 127.0.0.1 and checks its replies.

Starts the server (the command after `--`) with --port 0, reads the port it
prints, then sends REQUESTS requests over CONNECTIONS keep-alive connections
at once (a thread each), every one checked: status, JSON body, and, with
--verify among the server's options, its X-Tacit-Verified header. The server
stops by itself (its --requests / --seconds); this script waits for it, and
gives up after a deadline. Only loopback traffic; bounded in requests and
seconds.

usage: http-client.py CONNECTIONS REQUESTS -- SERVER [OPTIONS...]
"""
import json
import socket
import subprocess
import sys
import threading
import time

connections, requests = int(sys.argv[1]), int(sys.argv[2])
server_cmd = sys.argv[sys.argv.index('--') + 1:]
deadline = time.time() + 60

server = subprocess.Popen(server_cmd + ['--port', '0'], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True)
first = server.stdout.readline()
print(first.strip())
port = int(first.split('127.0.0.1:')[1].split()[0])

lock = threading.Lock()
counts = {'ok': 0, 'bad': 0, 'verified': 0}
problems = []


def read_reply(sock, buf):
    while b'\r\n\r\n' not in buf:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError('closed before a reply')
        buf += data
    head, _, rest = buf.partition(b'\r\n\r\n')
    lines = head.decode().split('\r\n')
    status = int(lines[0].split()[1])
    headers = {l.split(':', 1)[0].lower(): l.split(':', 1)[1].strip()
               for l in lines[1:]}
    length = int(headers.get('content-length', '0'))
    while len(rest) < length:
        data = sock.recv(65536)
        if not data:
            raise ConnectionError('closed inside a body')
        rest += data
    return status, headers, json.loads(rest[:length]), rest[length:]


def client(k, n):
    try:
        exchange(k, n)
    except (OSError, ValueError) as e:
        with lock:
            counts['bad'] += 1
            problems.append('connection %d: %s' % (k, e))


def exchange(k, n):
    sock = socket.create_connection(('127.0.0.1', port), timeout=20)
    buf = b''
    for i in range(n):
        if time.time() > deadline:
            break
        which = (k + i) % 3
        if which == 0:
            req, want = 'GET /hello HTTP/1.1\r\nHost: x\r\n\r\n', {'hello': 'world'}
        elif which == 1:
            vals = [k, i, 7]
            req = 'GET /sum?values=%s HTTP/1.1\r\nHost: x\r\n\r\n' % ','.join(map(str, vals))
            want = {'sum': sum(vals), 'count': 3}
        else:
            body = json.dumps({'client': k, 'n': i, 'words': ['w%d' % j for j in range(i % 20)]})
            req = ('POST /echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                   'Content-Length: %d\r\n\r\n%s' % (len(body), body))
            want = {'echo': json.loads(body), 'keys': ['client', 'n', 'words']}
        sock.sendall(req.encode())
        status, headers, got, buf = read_reply(sock, buf)
        with lock:
            if status == 200 and got == want:
                counts['ok'] += 1
            else:
                counts['bad'] += 1
                problems.append('%d %s: %r' % (status, req.split('\r\n')[0], got))
            if headers.get('x-tacit-verified') == 'yes':
                counts['verified'] += 1
    sock.close()


threads = [threading.Thread(target=client, args=(k, requests // connections))
           for k in range(connections)]
for t in threads:
    t.start()
for t in threads:
    t.join()
try:
    rest, _ = server.communicate(timeout=max(1, deadline - time.time()))
except subprocess.TimeoutExpired:
    server.kill()
    rest, _ = server.communicate()
    print('the server did not stop by itself')
print('replies: %d right, %d wrong, %d verified on their arena'
      % (counts['ok'], counts['bad'], counts['verified']))
for p in problems[:5]:
    print('  ' + p)
print(rest.strip())
print('server exit code: %d' % server.returncode)
