#!/usr/bin/env python3
"""Rewrite the PBKDF2 parameters of a PKCS#8 PBES2 EncryptedPrivateKeyInfo (DER), for the tests
of encrypted keys that openssl does not write but other encoders (or an attacker) do. The
ciphertext is copied unchanged.

    enc_pbes2.py IN.der OUT.der [--iter N] [--iter-bytes HEX] [--salt-hex HEX]
                                [--key-length N] [--prf-without-null]

--iter N          the iteration count (a DER INTEGER of N)
--iter-bytes HEX  the iteration INTEGER's content bytes as given (e.g. ff: -1, 00: 0)
--salt-hex HEX    the salt (may be empty)
--key-length N    add PBKDF2's optional keyLength field
--prf-without-null  the PRF AlgorithmIdentifier without its NULL parameters (absent instead)

Python's standard library only.
"""
import argparse
import sys


def parse(b, i=0):
    """(tag, content, next index) of the TLV at b[i]."""
    tag, length, j = b[i], b[i + 1], i + 2
    if length & 0x80:
        n = length & 0x7F
        length = int.from_bytes(b[j:j + n], "big")
        j += n
    if j + length > len(b):
        sys.exit("enc_pbes2.py: truncated DER")
    return tag, b[j:j + length], j + length


def children(content):
    out, i = [], 0
    while i < len(content):
        tag, c, i = parse(content, i)
        out.append((tag, c))
    return out


def tlv(tag, content):
    n = len(content)
    if n < 0x80:
        head = bytes([n])
    else:
        body = n.to_bytes((n.bit_length() + 7) // 8, "big")
        head = bytes([0x80 | len(body)]) + body
    return bytes([tag]) + head + content


def integer(n):
    body = n.to_bytes(n.bit_length() // 8 + 1, "big")  # a leading 0 keeps it positive
    while len(body) > 1 and body[0] == 0 and body[1] < 0x80:
        body = body[1:]
    return (0x02, body)


def main(argv):
    ap = argparse.ArgumentParser(description="Rewrite the PBKDF2 parameters of a PBES2 key.")
    ap.add_argument("inp")
    ap.add_argument("out")
    ap.add_argument("--iter", type=int)
    ap.add_argument("--iter-bytes")
    ap.add_argument("--salt-hex")
    ap.add_argument("--key-length", type=int)
    ap.add_argument("--prf-without-null", action="store_true")
    a = ap.parse_args(argv)

    der = open(a.inp, "rb").read()
    _, top, _ = parse(der)
    alg, data = children(top)
    pbes2_oid, pbes2_params = children(alg[1])
    kdf, enc = children(pbes2_params[1])
    kdf_oid, kdf_params = children(kdf[1])
    fields = children(kdf_params[1])
    salt, iters = fields[0], fields[1]
    rest = fields[2:]
    if rest and rest[0][0] == 0x02:  # an existing keyLength
        rest = rest[1:]
    prf = rest[0] if rest else None

    if a.iter is not None:
        iters = integer(a.iter)
    if a.iter_bytes is not None:
        iters = (0x02, bytes.fromhex(a.iter_bytes))
    if a.salt_hex is not None:
        salt = (0x04, bytes.fromhex(a.salt_hex))
    if prf is not None and a.prf_without_null:
        prf = (0x30, tlv(*children(prf[1])[0]))

    params = tlv(*salt) + tlv(*iters)
    if a.key_length is not None:
        params += tlv(*integer(a.key_length))
    if prf is not None:
        params += tlv(*prf)
    kdf_der = tlv(0x30, tlv(*kdf_oid) + tlv(0x30, params))
    alg_der = tlv(0x30, tlv(*pbes2_oid) + tlv(0x30, kdf_der + tlv(*enc)))
    open(a.out, "wb").write(tlv(0x30, alg_der + tlv(*data)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
