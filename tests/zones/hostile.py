#!/usr/bin/python3
"""Hostile authoritative servers for the nfdns test hierarchy (UDP only).

  hostile.py ADDRESS MODE [PORT]

evil    serves evil.com; refers sub.evil.com to ns.victim.net with glue for
        ns.victim.net (out of bailiwick: points at a poisoned server) and a
        forged www.victim.net address in the additional section; answers
        aaaalame.evil.com A, and any other type lame (AA, empty, no SOA, a
        referral up to com.); names below dn.evil.com get a DNAME to
        g.example.com without its CNAME.
spoof   serves spoof.com; before each real answer it sends three forged ones:
        from another port, with another ID, and for another question.
noedns  serves noedns.com; answers FORMERR to any query carrying EDNS, and
        echoes the question in lower case (no 0x20).
slow    serves slow.com; answers after 300 ms (2 s for names under held.);
        ttltop.slow.com has a TTL with the top bit set (2^31).
nxent   serves nxent.com with x.y.nxent.com A only, and answers NXDOMAIN for
        the empty non-terminal y.nxent.com, as some servers wrongly do; each
        question is logged on stdout ("QUERY client name type").
"""
import socket
import struct
import sys
import threading

A, NS, CNAME, SOA, AAAA, OPT = 1, 2, 5, 6, 28, 41


def wire(name):
    out = b""
    for label in name.rstrip(".").split("."):
        if label:
            out += bytes([len(label)]) + label.encode()
    return out + b"\0"


def parse_name(msg, off):
    labels = []
    while True:
        n = msg[off]
        if n == 0:
            return ".".join(labels) + ".", off + 1
        if n >= 0xC0:
            raise ValueError("compressed question")
        labels.append(msg[off + 1:off + 1 + n].decode("ascii", "replace"))
        off += 1 + n


def rr(name, rtype, rdata, ttl=3600):
    return wire(name) + struct.pack("!HHIH", rtype, 1, ttl, len(rdata)) + rdata


def a(addr):
    return socket.inet_aton(addr)


def soa(zone):
    return (wire("ns." + zone) + wire("hostmaster." + zone)
            + struct.pack("!IIIII", 1, 1800, 900, 604800, 300))


def message(qid, flags, qname_wire, qtype, ans=(), auth=(), add=()):
    hdr = struct.pack("!HHHHHH", qid, flags, 1, len(ans), len(auth), len(add))
    return (hdr + qname_wire + struct.pack("!HH", qtype, 1)
            + b"".join(ans) + b"".join(auth) + b"".join(add))


QR, AA = 0x8000, 0x0400
NXDOMAIN, FORMERR = 3, 1


def under(name, zone):
    name, zone = name.lower(), zone.lower()
    return name == zone or name.endswith("." + zone)


def zone_answer(zone, ns_addr, records, qname, qtype):
    """(flags, answer, authority, additional) for a tiny zone."""
    lname = qname.lower()
    if lname == zone:
        if qtype == NS:
            return AA, [rr(zone, NS, wire("ns." + zone))], [], [rr("ns." + zone, A, a(ns_addr))]
        if qtype == SOA:
            return AA, [rr(zone, SOA, soa(zone))], [], []
        return AA, [], [rr(zone, SOA, soa(zone), 300)], []
    if lname == "ns." + zone:
        if qtype == A:
            return AA, [rr(qname, A, a(ns_addr))], [], []
        return AA, [], [rr(zone, SOA, soa(zone), 300)], []
    if lname in records:
        addr, ttl = records[lname] if isinstance(records[lname], tuple) else (records[lname], 3600)
        if qtype == A:
            return AA, [rr(qname, A, a(addr), ttl)], [], []
        return AA, [], [rr(zone, SOA, soa(zone), 300)], []
    return AA | NXDOMAIN, [], [rr(zone, SOA, soa(zone), 300)], []


def main():
    addr, mode = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 53
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind((addr, port))
    other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    other.bind((addr, 0))
    while True:
        msg, peer = sock.recvfrom(4096)
        try:
            qid, flags, qd, an, ns, ar = struct.unpack("!HHHHHH", msg[:12])
            if flags & QR or qd != 1:
                continue
            qname, off = parse_name(msg, 12)
            qtype, qclass = struct.unpack("!HH", msg[off:off + 4])
            qwire = msg[12:off]
        except (ValueError, IndexError, struct.error):
            continue
        rd = flags & 0x0100

        if mode == "noedns":
            if ar > 0:
                sock.sendto(message(qid, QR | rd | FORMERR, qwire, qtype), peer)
                continue
            f, ans, auth, add = zone_answer("noedns.com.", addr, {"www.noedns.com.": "192.0.2.99"},
                                            qname, qtype)
            # An old server: it does not keep the case of the question either.
            sock.sendto(message(qid, QR | rd | f, qwire.lower(), qtype, ans, auth, add), peer)
        elif mode == "evil":
            if under(qname, "sub.evil.com.") and qname.lower() != "ns.evil.com.":
                auth = [rr("sub.evil.com.", NS, wire("ns.victim.net."))]
                add = [rr("ns.victim.net.", A, a("127.53.66.1")),
                       rr("www.victim.net.", A, a("192.0.2.66"))]
                sock.sendto(message(qid, QR | rd, qwire, qtype, [], auth, add), peer)
                continue
            if under(qname, "dn.evil.com.") and qname.lower() != "dn.evil.com.":
                # A DNAME without the CNAME it implies.
                ans = [rr("dn.evil.com.", 39, wire("g.example.com."))]
                sock.sendto(message(qid, QR | rd | AA, qwire, qtype, ans), peer)
                continue
            if qname.lower() == "aaaalame.evil.com." and qtype != A:
                # Authoritative, empty, no SOA, and a referral back up to com.
                auth = [rr("com.", NS, wire("a.nic.com."))]
                sock.sendto(message(qid, QR | rd | AA, qwire, qtype, [], auth), peer)
                continue
            f, ans, auth, add = zone_answer("evil.com.", addr, {"aaaalame.evil.com.": "192.0.2.67"},
                                            qname, qtype)
            sock.sendto(message(qid, QR | rd | f, qwire, qtype, ans, auth, add), peer)
        elif mode == "spoof":
            f, ans, auth, add = zone_answer("spoof.com.", addr, {"www.spoof.com.": "192.0.2.88"},
                                            qname, qtype)
            forged = [rr(qname, A, a("192.0.2.66"))] if qtype == A else ans
            good = message(qid, QR | rd | f, qwire, qtype, ans, auth, add)
            # Right ID and question, wrong source port.
            other.sendto(message(qid, QR | rd | AA, qwire, qtype, forged), peer)
            # Right port and question, wrong ID.
            sock.sendto(message(qid ^ 0x5A5A, QR | rd | AA, qwire, qtype, forged), peer)
            # Right port and ID, another question.
            sock.sendto(message(qid, QR | rd | AA, wire("forged." + qname), qtype, forged), peer)
            sock.sendto(good, peer)
        elif mode == "slow":
            f, ans, auth, add = zone_answer("slow.com.", addr, {"www.slow.com.": "192.0.2.111",
                                                          "ttltop.slow.com.": ("192.0.2.112", 0x80000000)},
                                            qname, qtype)
            reply = message(qid, QR | rd | f, qwire, qtype, ans, auth, add)
            held = qname.lower().startswith("held.") or qname.lower().endswith(".held.slow.com.")
            delay = 2.0 if held else 0.3
            threading.Timer(delay, sock.sendto, (reply, peer)).start()
        elif mode == "nxent":
            print("QUERY", peer[0], qname.lower(), qtype, flush=True)
            f, ans, auth, add = zone_answer("nxent.com.", addr, {"x.y.nxent.com.": "192.0.2.59"},
                                            qname, qtype)
            sock.sendto(message(qid, QR | rd | f, qwire, qtype, ans, auth, add), peer)
        else:
            sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main()
