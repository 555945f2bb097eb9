#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""DNS packets a well-behaved client never sends, for the hostile-network
test: spoofed sources, fragments, GSO trains, broadcasts; and the two ends
that watch what comes back.

  rawdns.py spoof SRC DST SPORT NAME [--count N] [--frag]
      raw IPv4/IPv6 queries from any source (SPORT, SPORT+1, ... with
      --count, from 1024 again past 65535); --frag splits each in two IPv4
      fragments
  rawdns.py ask DST NAME [--bcast] [--mcast-if IF] [--gso N] [--pad N]
      [--wait S]
      from an ordinary socket; prints one line per reply: "reply ID RCODE
      ANSWER..." (A records as dotted quads); --gso sends N queries as one
      UDP_SEGMENT train; --pad makes the query N bytes bigger (EDNS padding)
  rawdns.py listen ADDR PORT SECONDS
      prints "ready" once bound, then how many datagrams arrived at
      ADDR:PORT
  rawdns.py sniff SECONDS
      prints "ready" once listening, then "udp4|udp6 PAYLOAD_LEN df=0|1" for
      every UDP packet from port 53 seen on any interface
"""
import argparse
import ipaddress
import select
import socket
import struct
import sys
import time

ETH_P_ALL = 3
UDP_SEGMENT = 103


def qname(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def query(name, qid, pad=0, bufsize=1232, version=0):
    hdr = struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 1)
    opts = b""
    if pad:
        opts = struct.pack("!HH", 12, pad) + b"\0" * pad
    opt = b"\0" + struct.pack("!HHIH", 41, bufsize, version << 16,
                               len(opts)) + opts
    return hdr + qname(name) + struct.pack("!HH", 1, 1) + opt


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def udp(src, dst, sport, dport, payload):
    length = 8 + len(payload)
    a, b = ipaddress.ip_address(src), ipaddress.ip_address(dst)
    if a.version == 4:
        pseudo = a.packed + b.packed + struct.pack("!BBH", 0, 17, length)
    else:
        pseudo = a.packed + b.packed + struct.pack("!IxxxB", length, 17)
    hdr = struct.pack("!HHHH", sport, dport, length, 0)
    c = csum(pseudo + hdr + payload) or 0xFFFF
    return struct.pack("!HHHH", sport, dport, length, c) + payload


def ip4(src, dst, payload, ident=0, frag=0, mf=False):
    off = (frag // 8) | (0x2000 if mf else 0)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      off, 64, 17, 0, socket.inet_aton(src),
                      socket.inet_aton(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def cmd_spoof(a):
    v6 = ":" in a.dst
    fam = socket.AF_INET6 if v6 else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_RAW, socket.IPPROTO_RAW)
    if not v6:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    for i in range(a.count):
        # Past 65535, around again from 1024.
        port = a.sport + i
        if port > 65535:
            port = 1024 + (port - 1024) % 64512
        dgram = udp(a.src, a.dst, port, 53, query(a.name, port))
        if v6:
            hdr = struct.pack("!IHBB16s16s", 6 << 28, len(dgram), 17, 64,
                              ipaddress.ip_address(a.src).packed,
                              ipaddress.ip_address(a.dst).packed)
            s.sendto(hdr + dgram, (a.dst, 0))
        elif a.frag:
            ident = port
            s.sendto(ip4(a.src, a.dst, dgram[:24], ident, 0, True), (a.dst, 0))
            s.sendto(ip4(a.src, a.dst, dgram[24:], ident, 24), (a.dst, 0))
        else:
            s.sendto(ip4(a.src, a.dst, dgram), (a.dst, 0))
    print("sent %d" % a.count)


def parse_reply(msg):
    qid, flags, qd, an = struct.unpack("!HHHH", msg[:8])
    off = 12
    for _ in range(qd):
        while msg[off]:
            off += msg[off] + 1
        off += 5
    answers = []
    for _ in range(an):
        if msg[off] & 0xC0 == 0xC0:
            off += 2
        else:
            while msg[off]:
                off += msg[off] + 1
            off += 1
        rtype, _, _, rdlen = struct.unpack("!HHIH", msg[off:off + 10])
        off += 10
        if rtype == 1 and rdlen == 4:
            answers.append(socket.inet_ntoa(msg[off:off + 4]))
        off += rdlen
    tc = " tc" if flags & 0x0200 else ""
    return "reply %d %d%s %s" % (qid, flags & 0xF, tc,
                                 " ".join(answers))


def cmd_ask(a):
    fam = socket.AF_INET6 if ":" in a.dst else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    if a.bcast:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    if a.mcast_if:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                     a.mcast_if.encode())
    s.bind(("::" if fam == socket.AF_INET6 else "0.0.0.0", 0))
    q = query(a.name, 4242, a.pad, version=a.edns_version)
    if a.gso:
        s.setsockopt(socket.IPPROTO_UDP, UDP_SEGMENT, len(q))
        s.sendto(q * a.gso, (a.dst, 53))
    else:
        s.sendto(q, (a.dst, 53))
    deadline = time.time() + a.wait
    while True:
        left = deadline - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        print(parse_reply(s.recv(65536)))


def cmd_listen(a):
    fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.bind((a.addr, a.port))
    print("ready", flush=True)
    n = 0
    deadline = time.time() + a.seconds
    while True:
        left = deadline - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        s.recv(65536)
        n += 1
    print(n)


def cmd_sniff(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM,
                      socket.htons(ETH_P_ALL))
    print("ready", flush=True)
    deadline = time.time() + a.seconds
    while True:
        left = deadline - time.time()
        if left <= 0 or not select.select([s], [], [], left)[0]:
            break
        pkt, addr = s.recvfrom(65536)
        if addr[2] == socket.PACKET_OUTGOING:
            continue
        if pkt[0] >> 4 == 4 and pkt[9] == 17:
            ihl = (pkt[0] & 15) * 4
            sport = struct.unpack("!H", pkt[ihl:ihl + 2])[0]
            if sport == 53 and not struct.unpack("!H", pkt[6:8])[0] & 0x1FFF:
                df = struct.unpack("!H", pkt[6:8])[0] >> 14 & 1
                ulen = struct.unpack("!H", pkt[ihl + 4:ihl + 6])[0]
                print("udp4 %d df=%d" % (ulen - 8, df), flush=True)
        elif pkt[0] >> 4 == 6 and pkt[6] == 17:
            sport = struct.unpack("!H", pkt[40:42])[0]
            if sport == 53:
                ulen = struct.unpack("!H", pkt[44:46])[0]
                print("udp6 %d df=1" % (ulen - 8), flush=True)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("spoof")
    sp.add_argument("src")
    sp.add_argument("dst")
    sp.add_argument("sport", type=int)
    sp.add_argument("name")
    sp.add_argument("--count", type=int, default=1)
    sp.add_argument("--frag", action="store_true")
    sp.set_defaults(fn=cmd_spoof)
    sp = sub.add_parser("ask")
    sp.add_argument("dst")
    sp.add_argument("name")
    sp.add_argument("--bcast", action="store_true")
    sp.add_argument("--mcast-if")
    sp.add_argument("--gso", type=int, default=0)
    sp.add_argument("--pad", type=int, default=0)
    sp.add_argument("--wait", type=float, default=2)
    sp.add_argument("--edns-version", type=int, default=0)
    sp.set_defaults(fn=cmd_ask)
    sp = sub.add_parser("listen")
    sp.add_argument("addr")
    sp.add_argument("port", type=int)
    sp.add_argument("seconds", type=float)
    sp.set_defaults(fn=cmd_listen)
    sp = sub.add_parser("sniff")
    sp.add_argument("seconds", type=float)
    sp.set_defaults(fn=cmd_sniff)
    a = p.parse_args()
    a.fn(a)


if __name__ == "__main__":
    sys.exit(main())
