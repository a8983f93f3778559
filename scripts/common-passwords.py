#!/usr/bin/env python3
"""Builds Sources/TrellisWeb/Resources/common-passwords.bin, the list of common passwords Trellis refuses.

The list is the 30,000 most common passwords of zxcvbn's frequency lists (Dropbox's zxcvbn, MIT licence,
from leaked-password corpora), lower-cased. Trellis ships only a fingerprint of each: the first 8 bytes of
SHA-256 of the UTF-8 password, sorted, as big-endian 64-bit integers (240 KB), which it searches by
bisection. Run: python3 -m venv /tmp/v && /tmp/v/bin/pip install zxcvbn==4.5.0 && /tmp/v/bin/python scripts/common-passwords.py
"""
import hashlib, pathlib, struct
from zxcvbn.frequency_lists import FREQUENCY_LISTS

words = {w.lower() for w in FREQUENCY_LISTS["passwords"]}
prints = sorted({struct.unpack(">Q", hashlib.sha256(w.encode()).digest()[:8])[0] for w in words})
out = pathlib.Path(__file__).resolve().parent.parent / "Sources/TrellisWeb/Resources/common-passwords.bin"
out.write_bytes(b"".join(struct.pack(">Q", p) for p in prints))
print(f"{len(prints)} fingerprints, {out.stat().st_size} bytes -> {out}")
