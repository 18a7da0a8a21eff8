#!/usr/bin/env python3
# Holds TCP connections on loopback inside many network namespaces from ONE process (a process per
# namespace would cost more memory than the sockets): for each namespace file given, setns() into it
# (through libc; Python 3.11 has no os.setns), listen on 127.0.0.1:PORT, connect PER_NS times and
# accept each. Sockets stay in the namespace they were created in. Prints "ready <sockets>" and holds
# everything until stdin closes (the benchmark ends it), or after --max-lifetime seconds.
#   python3 netns-socket-holder.py --per-ns 50 --port 8080 /run/netns/a /run/netns/b ...
# --create-in /run/netns/PARENT first creates each named namespace (ip netns add) from inside PARENT,
# so that PARENT's net.ipv4.tcp_child_ehash_entries applies to them (ip runs in the host's mount
# namespace, so the names are visible to everyone).
import argparse, ctypes, os, resource, select, socket, subprocess, sys

CLONE_NEWNET = 0x40000000
parser = argparse.ArgumentParser()
parser.add_argument('--per-ns', type=int, required=True)
parser.add_argument('--port', type=int, default=8080)
parser.add_argument('--max-lifetime', type=int, default=600)
parser.add_argument('--create-in')
parser.add_argument('paths', nargs='+')
args = parser.parse_args()
if not (1 <= args.per_ns <= 9000):
    sys.exit('--per-ns must be from 1 to 9000')
libc = ctypes.CDLL(None, use_errno=True)
need = len(args.paths) * (2 * args.per_ns + 1) + 64
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
if need > soft:
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(need, hard), hard))
def enter(path):
    fd = os.open(path, os.O_RDONLY)
    if libc.setns(fd, CLONE_NEWNET) != 0:
        sys.exit(f'setns({path}): {os.strerror(ctypes.get_errno())}')
    os.close(fd)

if args.create_in:
    enter(args.create_in)
    for path in args.paths:
        name = os.path.basename(path)
        subprocess.run(['ip', 'netns', 'add', name], check=True, timeout=10)
        subprocess.run(['ip', '-n', name, 'link', 'set', 'lo', 'up'], check=True, timeout=10)
held = []
for path in args.paths:
    enter(path)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(('127.0.0.1', args.port))
    listener.listen(4096)
    held.append(listener)
    for _ in range(args.per_ns):
        c = socket.create_connection(('127.0.0.1', args.port))
        a, _ = listener.accept()
        held += [c, a]
print(f'ready {len(held) - len(args.paths)}', flush=True)
select.select([sys.stdin], [], [], args.max_lifetime)
