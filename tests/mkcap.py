#!/usr/bin/env python3
"""mkcap: write a LINKTYPE_NETLINK capture of NET_DM alerts without any of
trapmon's code, from the kernel's and libpcap's byte layouts, for tests
whose expected values must not come from trapmon.

  mkcap.py OUT SPEC...

Each SPEC is one line of the form  COUNT hw TRAP GROUP SPORT [IFINDEX PORTNAME]
or  COUNT sw REASON|- SYMBOL SPORT ; COUNT alerts of a UDP frame from
192.0.2.1:SPORT to 198.51.100.1:9 (hardware) or 127.0.0.1:SPORT to
127.0.0.1:9999 (software, REASON "-" for a kernel without drop reasons).
An nlctrl record naming NET_DM comes first, as dwdump and trapmon write.
"""
import struct
import sys

# Numbers from linux/genetlink.h and linux/net_dropmon.h.
GENL_ID_CTRL, CTRL_CMD_NEWFAMILY, CTRL_ATTR_FAMILY_ID, CTRL_ATTR_FAMILY_NAME = 16, 1, 1, 2
CMD_PACKET_ALERT, ORIGIN_SW, ORIGIN_HW = 5, 0, 1
A_PC, A_SYMBOL, A_IN_PORT, A_TIMESTAMP, A_PROTO, A_PAYLOAD = 2, 3, 4, 5, 6, 7
A_ORIG_LEN, A_ORIGIN, A_GROUP, A_NAME, A_REASON = 10, 14, 15, 16, 23
PORT_IFINDEX, PORT_NAME = 0, 1
FAMILY = 0x1d			# any id: the nlctrl record names it


def attr(t, data):
    """A netlink attribute, host order, padded to 4 bytes."""
    a = struct.pack("=HH", 4 + len(data), t) + data
    return a + bytes(-len(a) % 4)


def genl(mtype, cmd, attrs, seq):
    body = struct.pack("=BBH", cmd, 2, 0) + b"".join(attrs)
    return struct.pack("=IHHII", 16 + len(body), mtype, 0, seq, 0) + body


def csum(b):
    s = sum(struct.unpack("!%dH" % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def frame(src, dst, sport, dport):
    """Ethernet, IPv4 and UDP with 18 bytes of data."""
    udp = struct.pack("!HHHH", sport, dport, 8 + 18, 0) + bytes(18)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 1, 0, 64, 17, 0,
                     bytes(src), bytes(dst))
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return bytes.fromhex("020000000002 020000000001 0800") + ip + udp


def hw_alert(trap, group, sport, ts, ifindex=None, port=None):
    f = frame([192, 0, 2, 1], [198, 51, 100, 1], sport, 9)
    attrs = [attr(A_ORIGIN, struct.pack("=H", ORIGIN_HW)),
             attr(A_GROUP, group.encode() + b"\0"),
             attr(A_NAME, trap.encode() + b"\0")]
    if ifindex is not None:
        attrs.append(attr(A_IN_PORT, attr(PORT_IFINDEX, struct.pack("=I", ifindex)) +
                          attr(PORT_NAME, port.encode() + b"\0")))
    attrs += [attr(A_TIMESTAMP, struct.pack("=Q", ts)),
              attr(A_ORIG_LEN, struct.pack("=I", len(f))),
              attr(A_PROTO, struct.pack("=H", 0x0800)),
              attr(A_PAYLOAD, f)]
    return genl(FAMILY, CMD_PACKET_ALERT, attrs, 0)


def sw_alert(reason, symbol, sport, ts):
    # A software drop carries no Ethernet header: the payload starts at IP.
    f = frame([127, 0, 0, 1], [127, 0, 0, 1], sport, 9999)[14:]
    attrs = [attr(A_PC, struct.pack("=Q", 0xffffffff81000000)),
             attr(A_SYMBOL, symbol.encode() + b"\0")]
    if reason != "-":
        attrs.append(attr(A_REASON, reason.encode() + b"\0"))
    attrs += [attr(A_TIMESTAMP, struct.pack("=Q", ts)),
              attr(A_ORIG_LEN, struct.pack("=I", len(f))),
              attr(A_PROTO, struct.pack("=H", 0x0800)),
              attr(A_PAYLOAD, f)]
    return genl(FAMILY, CMD_PACKET_ALERT, attrs, 0)


def main():
    path, specs = sys.argv[1], sys.argv[2:]
    # Linux cooked header of LINKTYPE_NETLINK (big-endian): packet type 4,
    # ARPHRD_NETLINK 824, no address, protocol NETLINK_GENERIC 16.
    cooked = struct.pack("!HHH8sH", 4, 824, 0, bytes(8), 16)
    t0 = 1700000000
    out = [struct.pack("=IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 253)]

    def record(i, msg):
        d = cooked + msg
        out.append(struct.pack("=IIII", t0 + i // 1000000, i % 1000000, len(d), len(d)) + d)

    record(0, genl(GENL_ID_CTRL, CTRL_CMD_NEWFAMILY,
                   [attr(CTRL_ATTR_FAMILY_ID, struct.pack("=H", FAMILY)),
                    attr(CTRL_ATTR_FAMILY_NAME, b"NET_DM\0")], 1))
    i = 1
    for spec in specs:
        w = spec.split()
        for _ in range(int(w[0])):
            ts = (t0 * 1000000 + i) * 1000
            if w[1] == "hw":
                port = (int(w[5]), w[6]) if len(w) > 5 else (None, None)
                record(i, hw_alert(w[2], w[3], int(w[4]), ts, *port))
            else:
                record(i, sw_alert(w[2], w[3], int(w[4]), ts))
            i += 1
    with open(path, "wb") as f:
        f.write(b"".join(out))


if __name__ == "__main__":
    main()
