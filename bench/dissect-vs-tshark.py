#!/usr/bin/env python3
"""dissect-vs-tshark.py NAME DUMP TSHARK_JSON: one capture's frames,
dissect_packet() on Ethernet frames (bench/dissect-dump's lines) against tshark (-T json).

tshark's flow for a frame is its innermost one: the last IP layer at the
top level of the frame (ICMP errors quote IP headers inside the icmp layer;
those do not count), its addresses, the protocol after its extension
headers (the last *.nxt inside an ipv6 layer, or a following AH's), and the
ports of a TCP, UDP, UDP-Lite or SCTP layer right after it. More than one
top-level IP layer means a tunnel was crossed. Frames without an IP layer,
or whose IP layer has no addresses, have no flow: "-", ports and protocol 0.

Prints "ROW NAME FRAMES AGREE" and, for each frame that differs,
"DIFF NAME FRAME" with both sides. The caller decides what differences
are expected. An ERSPAN frame (flag 0x20) reports the outer GRE flow by
design; its mirrored flow (outer addresses and the last column) must then
equal tshark's innermost addresses and protocol, or "DIFF NAME FRAME
mirror:" says so, which no caller expects.
"""
import ipaddress
import json
import sys

IP_LAYERS = ("ip", "ipv6")
PORT_LAYERS = ("tcp", "udp", "udplite", "sctp")
IPV6_EXT_NXT = ("ipv6.hopopts.nxt", "ipv6.routing.nxt", "ipv6.fraghdr.nxt",
                "ipv6.dstopts.nxt")


def pairs_of(value):
    """The key/value pairs of a JSON object parsed with object_pairs_hook=list."""
    if isinstance(value, list) and all(isinstance(p, tuple) for p in value):
        return value
    return []


def first(pairs, key):
    for k, v in pairs:
        if k == key:
            return v
    return None


def walk(pairs):
    """Every (key, value) in document order, nested objects included."""
    for k, v in pairs:
        yield k, v
        yield from walk(pairs_of(v))


def norm(addr):
    if addr in (None, "-"):
        return "-"
    return ipaddress.ip_address(addr).compressed


def tshark_flow(layers):
    top = [(k, pairs_of(v)) for k, v in layers]
    ips = [i for i, (k, _) in enumerate(top) if k in IP_LAYERS]
    if not ips:
        return ("-", "-", 0, 0, 0, 0)
    i = ips[-1]
    name, ip = top[i]
    if name == "ip":
        src, dst = first(ip, "ip.src"), first(ip, "ip.dst")
        proto = first(ip, "ip.proto")
    else:
        src, dst = first(ip, "ipv6.src"), first(ip, "ipv6.dst")
        proto = first(ip, "ipv6.nxt")
        for k, v in walk(ip):
            if k in IPV6_EXT_NXT:
                proto = v
        if i + 1 < len(top) and top[i + 1][0] == "ah":
            proto = first(top[i + 1][1], "ah.nxt") or proto
    if src is None or dst is None:
        return ("-", "-", 0, 0, 0, 0)
    sport = dport = 0
    if i + 1 < len(top) and top[i + 1][0] in PORT_LAYERS:
        l4name, l4 = top[i + 1]
        base = "udp" if l4name == "udplite" else l4name
        sport = int(first(l4, base + ".srcport") or 0)
        dport = int(first(l4, base + ".dstport") or 0)
    return (norm(src), norm(dst), sport, dport, int(proto or 0), int(len(ips) > 1))


def main():
    name, dump, tjson = sys.argv[1:4]
    with open(tjson) as f:
        packets = json.load(f, object_pairs_hook=list)
    ours = {}
    with open(dump) as f:
        for line in f:
            c = line.rstrip("\n").split("\t")
            ours[int(c[0])] = (norm(c[1]), norm(c[2]), int(c[3]), int(c[4]), int(c[5]),
                               int(c[6]), c)
    agree = 0
    for n, pkt in enumerate(packets, 1):
        layers = pairs_of(first(pairs_of(first(pairs_of(pkt), "_source")), "layers"))
        theirs = tshark_flow(layers)
        mine = ours.get(n)
        if mine and int(mine[6][7], 16) & 0x20:
            mirrored = (norm(mine[6][8]), norm(mine[6][9]), int(mine[6][12]))
            if mirrored != (theirs[0], theirs[1], theirs[4]):
                print("DIFF %s %d mirror: %s %s %d, tshark %s %s %d" % ((name, n) + mirrored +
                                                                     (theirs[0], theirs[1], theirs[4])))
        if mine and mine[:6] == theirs:
            agree += 1
            continue
        print("DIFF %s %d" % (name, n))
        print("  trapmon:     %s" % (" ".join(mine[6][1:]) if mine else "(no line)"))
        print("  tshark:      %s %s %d %d %d %d" % theirs)
    if len(ours) != len(packets):
        print("DIFF %s frames: dissect-dump %d, tshark %d" % (name, len(ours), len(packets)))
    print("ROW %s %d %d" % (name, len(packets), agree))


if __name__ == "__main__":
    main()
