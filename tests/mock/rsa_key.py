#!/usr/bin/env python3
"""Write an RSA private key of exactly BITS bits as PKCS#1 DER, for tests that need a size the
openssl CLI does not make (OpenSSL 3.0 turns `rsa_keygen_bits:4097` into a 4,096-bit key).

    rsa_key.py BITS OUT.der [--bad-modulus]

The primes come from `openssl prime -generate`; the rest is computed here. --bad-modulus writes
a modulus that is not p * q (same bit length, one middle bit flipped): a key whose public half
does not belong to its private half. Python's standard library and the openssl CLI only.
"""
import math
import subprocess
import sys

E = 65537


def prime(bits):
    out = subprocess.run(["openssl", "prime", "-generate", "-bits", str(bits)],
                         check=True, capture_output=True, text=True, timeout=120)
    return int(out.stdout.strip())


def der_length(n):
    if n < 128:
        return bytes([n])
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(body)]) + body


def der_integer(v):
    body = v.to_bytes(v.bit_length() // 8 + 1, "big")  # a zero byte first when the top bit is set
    return b"\x02" + der_length(len(body)) + body


def make(bits):
    for _ in range(50):
        p, q = prime((bits + 1) // 2), prime(bits // 2)
        phi = (p - 1) * (q - 1)
        if p != q and (p * q).bit_length() == bits and math.gcd(E, phi) == 1:
            return p, q
    sys.exit("rsa_key.py: no %d-bit key after 50 tries" % bits)


def main():
    bits, out = int(sys.argv[1]), sys.argv[2]
    p, q = make(bits)
    n, d = p * q, pow(E, -1, (p - 1) * (q - 1))
    if "--bad-modulus" in sys.argv[3:]:
        n ^= 1 << (bits // 2)
    parts = [0, n, E, d, p, q, d % (p - 1), d % (q - 1), pow(q, -1, p)]
    body = b"".join(der_integer(v) for v in parts)
    with open(out, "wb") as f:
        f.write(b"\x30" + der_length(len(body)) + body)


if __name__ == "__main__":
    main()
