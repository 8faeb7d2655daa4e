#!/usr/bin/python3
"""Writes a mail with one ~25 MB base64 attachment, for the size/streaming test.

    /usr/bin/python3 tests/golden/make_big_mail.py OUT.eml
prints "<size> <sha256>" of the decoded attachment. The content is a
deterministic pseudo-random stream (SHA-256 in counter mode), so the digest is
the same on every machine. Never write OUT into the source tree; run_golden.py
--big DIR uses a scratch directory and deletes it.
"""

import base64
import hashlib
import sys

FILENAME = "big-archive.bin"
TEXT = "The archive you asked for is attached."
SIZE = 25 * 1024 * 1024 + 12345   # odd size: the last base64 group is padded


def chunks(size):
    """Yields `size` deterministic bytes in 3 MiB blocks (a multiple of 3, so
    each block base64-encodes without padding except the last)."""
    block = 3 * 1024 * 1024
    counter, produced, buf = 0, 0, bytearray()
    while produced < size:
        while len(buf) < min(block, size - produced):
            buf += hashlib.sha256(counter.to_bytes(8, "big")).digest()
            counter += 1
        n = min(block, size - produced)
        out, buf = bytes(buf[:n]), buf[n:]
        produced += n
        yield out


def write(path, size=SIZE):
    """Writes the mail to `path`; returns (size, sha256 hex) of the attachment."""
    digest = hashlib.sha256()
    with open(path, "wb") as f:
        f.write(b"From: Archive Robot <archive@example.com>\r\n"
                b"To: support@example.com\r\n"
                b"Subject: Big attachment\r\n"
                b"Date: Tue, 12 Mar 2024 09:15:00 +0100\r\n"
                b"Message-ID: <big-1@example.com>\r\n"
                b"MIME-Version: 1.0\r\n"
                b"Content-Type: multipart/mixed; boundary=\"big\"\r\n\r\n"
                b"--big\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" +
                TEXT.encode() + b"\r\n"
                b"--big\r\nContent-Type: application/octet-stream; name=\"" +
                FILENAME.encode() + b"\"\r\n"
                b"Content-Disposition: attachment; filename=\"" + FILENAME.encode() + b"\"\r\n"
                b"Content-Transfer-Encoding: base64\r\n\r\n")
        for data in chunks(size):
            digest.update(data)
            enc = base64.b64encode(data)
            f.write(b"\r\n".join(enc[i:i + 76] for i in range(0, len(enc), 76)) + b"\r\n")
        f.write(b"--big--\r\n")
    return size, digest.hexdigest()


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    s, d = write(sys.argv[1])
    print(s, d)
