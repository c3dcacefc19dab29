#!/usr/bin/env python3
"""A scripted TCP (or TLS) server for the end-to-end tests: it answers every connection with
the same bytes, whatever the client sends, so that a test can play a server or a proxy that
misbehaves in one exact way (an SSH banner to a CONNECT, a redirect, a folded header line).

    raw_server.py --answer FILE --port-file PATH [--tls-cert C --tls-key K] [--max-life S]

For each connection it reads what the client sends until an empty line ends a request head (or
--read-timeout passes), writes the whole of FILE, and closes the connection. With --tls-cert the
connection is TLS 1.2 first (the answer then goes inside it). It listens on 127.0.0.1 only, on a
free port that it writes to --port-file once listening; it exits by itself after --max-life
seconds and on SIGTERM. Python's standard library only.
"""
import argparse
import os
import signal
import socket
import ssl
import sys
import threading


def read_head(conn, timeout):
    """Read until the end of a request head (a blank line), EOF or the timeout."""
    conn.settimeout(timeout)
    data = b""
    try:
        while b"\r\n\r\n" not in data and len(data) < 65536:
            piece = conn.recv(4096)
            if not piece:
                break
            data += piece
    except (socket.timeout, OSError, ssl.SSLError):
        pass
    return data


def serve_one(conn, answer, context, timeout):
    try:
        if context is not None:
            conn.settimeout(timeout)
            conn = context.wrap_socket(conn, server_side=True)
        read_head(conn, timeout)
        conn.sendall(answer)
    except (OSError, ssl.SSLError):
        pass
    finally:
        try:
            conn.close()
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--answer", required=True, help="file whose bytes answer every connection")
    p.add_argument("--port-file", required=True)
    p.add_argument("--tls-cert")
    p.add_argument("--tls-key")
    p.add_argument("--max-life", type=float, default=60.0)
    p.add_argument("--read-timeout", type=float, default=2.0)
    args = p.parse_args()
    with open(args.answer, "rb") as f:
        answer = f.read()
    context = None
    if args.tls_cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.maximum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(args.tls_cert, args.tls_key)
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    timer = threading.Timer(args.max_life, listener.close)
    timer.daemon = True
    timer.start()
    with open(args.port_file + ".tmp", "w") as f:
        f.write(str(listener.getsockname()[1]))
    os.replace(args.port_file + ".tmp", args.port_file)
    while True:
        try:
            conn, _ = listener.accept()
        except OSError:
            break
        threading.Thread(target=serve_one, args=(conn, answer, context, args.read_timeout),
                         daemon=True).start()
    return 0


if __name__ == "__main__":
    sys.exit(main())
