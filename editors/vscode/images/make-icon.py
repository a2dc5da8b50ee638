#!/usr/bin/env python3
"""Draws the extension's icon, images/icon.png (128x128 RGBA), with the standard
library only: a teal rounded square holding a white record sheet with three text
lines and a check mark. Run it again after changing it: python3 make-icon.py"""
import math
import os
import struct
import zlib

SIZE = 128
SS = 4  # supersampling per axis, for smooth edges

TEAL = (0, 121, 107)
WHITE = (255, 255, 255)
LINE = (128, 203, 196)
CHECK = (0, 150, 136)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r and x0 <= x <= x1 and y0 <= y <= y1


def near_segment(x, y, ax, ay, bx, by, w):
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    return math.hypot(x - (ax + t * dx), y - (ay + t * dy)) <= w / 2


def colour(x, y):
    """The colour at (x, y) in icon pixels, or None (transparent)."""
    if not rounded_rect(x, y, 4, 4, 124, 124, 22):
        return None
    if near_segment(x, y, 58, 86, 70, 98, 9) or near_segment(x, y, 70, 98, 96, 66, 9):
        return CHECK
    if rounded_rect(x, y, 30, 22, 98, 106, 8):
        for ly, lx1 in ((42, 84), (56, 84), (70, 60)):
            if near_segment(x, y, 42, ly, lx1, ly, 6):
                return LINE
        return WHITE
    return TEAL


def main():
    rows = []
    for py in range(SIZE):
        row = bytearray([0])  # filter: none
        for px in range(SIZE):
            acc = [0, 0, 0, 0]
            for sy in range(SS):
                for sx in range(SS):
                    c = colour(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS)
                    if c is not None:
                        acc[0] += c[0]
                        acc[1] += c[1]
                        acc[2] += c[2]
                        acc[3] += 1
            n = acc[3]
            if n == 0:
                row += bytes(4)
            else:
                row += bytes([acc[0] // n, acc[1] // n, acc[2] // n, 255 * n // (SS * SS)])
        rows.append(bytes(row))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", SIZE, SIZE, 8, 6, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(b"".join(rows), 9))
    png += chunk(b"IEND", b"")
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "icon.png")
    with open(out, "wb") as f:
        f.write(png)
    print(f"wrote {out} ({len(png)} bytes)")


if __name__ == "__main__":
    main()
