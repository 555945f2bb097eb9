#!/usr/bin/python3
"""Regenerate the seed corpus from a running test hierarchy.

  tests/zones/hierarchy.sh start DIR
  tests/fuzz/nfdnsd/make-corpus.py        (writes corpus/)

Each seed is one byte naming the fuzz target's scenario, then the raw
answer of a server of the hierarchy to the scenario's question.
"""
import os
import random
import socket
import struct

A, NS, CNAME, AAAA, ANY = 1, 2, 5, 28, 255
# (scenario index as in fuzz_nfdnsd_response.c, server, qname, qtype, name)
SEEDS = [
    (0, "127.53.0.1", "www.example.com.", A, "root-referral"),
    (1, "127.53.1.1", "www.example.com.", A, "com-referral"),
    (2, "127.53.2.1", "www.example.com.", A, "answer"),
    (3, "127.53.2.1", "beta.example.com.", A, "cname-referral"),
    (4, "127.53.2.1", "text.example.com.", AAAA, "nodata"),
    (5, "127.53.2.1", "example.com.", NS, "apex-ns"),
    (2, "127.53.2.1", "nx.example.com.", A, "nxdomain"),
    (2, "127.53.2.1", "loop1.example.com.", A, "cname-loop"),
    (2, "127.53.2.1", "long0.example.com.", A, "cname-chain"),
    (2, "127.53.2.1", "big.example.com.", A, "truncated"),
    (7, "127.53.5.1", "www.x.attacker.com.", ANY, "nxns-truncated"),
    (1, "127.53.4.1", "www.sub.evil.com.", A, "out-of-bailiwick-glue"),
    (2, "127.53.6.1", "www.example.com.", A, "refused"),
    (6, "127.53.2.3", "x.g.example.com.", CNAME, "nxdomain-cname"),
    (7, "127.53.5.1", "www.x.attacker.com.", ANY, "nxns-referral-tcp"),
    (2, "127.53.2.1", "big.example.com.", A, "big-answer-tcp"),
]


def query(qid, qname, qtype, edns=True):
    q = struct.pack("!HHHHHH", qid, 0, 1, 0, 0, 1 if edns else 0)
    for label in qname.rstrip(".").split("."):
        q += bytes([len(label)]) + label.encode()
    q += b"\0" + struct.pack("!HH", qtype, 1)
    if edns:
        q += b"\0" + struct.pack("!HHIH", 41, 1232, 0, 0)
    return q


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    for scenario, server, qname, qtype, name in SEEDS:
        qid = random.randrange(65536)
        if name.endswith("-tcp"):
            s = socket.create_connection((server, 53), timeout=2)
            q = query(qid, qname, qtype)
            s.sendall(struct.pack("!H", len(q)) + q)
            data = b""
            while len(data) < 2 or len(data) < 2 + struct.unpack("!H", data[:2])[0]:
                chunk = s.recv(65535)
                if not chunk:
                    break
                data += chunk
            answer = data[2:]
        else:
            s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            s.settimeout(2)
            s.sendto(query(qid, qname, qtype), (server, 53))
            answer, _ = s.recvfrom(65535)
        s.close()
        with open(os.path.join(out, name), "wb") as f:
            f.write(bytes([scenario]) + answer)


if __name__ == "__main__":
    main()
